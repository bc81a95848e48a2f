/**
 * RequestObserver: told about every request a connection finished (response written, or
 * none for acks=0), with Kafka's latency split (RequestChannel's request metrics):
 *   queueMs  frame complete in the read-ahead queue -> dispatch starts
 *   localMs  in the handler, minus remote time
 *   remoteMs parked in the purgatory (acks=-1 produce, long-poll fetch)
 *   sendMs   response write started -> handed to the kernel
 * Implemented by src/metrics; called once per request, never per record.
 */
export interface RequestTiming {
  readonly queueMs: number;
  readonly localMs: number;
  readonly remoteMs: number;
  readonly sendMs: number;
}

export interface RequestObserver {
  requestCompleted(apiKey: number, apiVersion: number, timing: RequestTiming): void;
}
