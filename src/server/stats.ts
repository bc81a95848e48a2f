/**
 * Plain counters kept by the listeners and connections, read by whoever exports metrics
 * (src/http). One ServerStats may be shared by every listener of a broker.
 */
export class ServerStats {
  /** Connections currently open. */
  connectionsOpen = 0;
  connectionsAccepted = 0;
  /** Refused at accept because of max.connections or max.connections.per.ip. */
  connectionsRejected = 0;
  /** Closed because of a bad frame, unknown API/version, undecodable body or handler bug. */
  connectionsClosedOnError = 0;
  connectionsClosedIdle = 0;
  /** Requests dispatched, by API key. */
  readonly requestsByApiKey = new Map<number, number>();

  countRequest(apiKey: number): void {
    this.requestsByApiKey.set(apiKey, (this.requestsByApiKey.get(apiKey) ?? 0) + 1);
  }
}
