/**
 * Errors the CLI's Kafka client raises. A KafkaResponseError carries the Kafka error code
 * a broker answered with and its name from Kafka's catalogue (e.g. TOPIC_ALREADY_EXISTS),
 * so commands can print the name users search for. A ConnectionError is a transport
 * problem (connect refused, closed socket, request timeout).
 */
import { errorMessage, errorName, isRetriable } from '../../protocol/errors.ts';

export class KafkaResponseError extends Error {
  readonly code: number;
  readonly errorName: string;

  /** `context` says what failed ("create topic 'x'"); `detail` is the broker's message, if any. */
  constructor(code: number, context: string, detail?: string | null) {
    const name = errorName(code);
    super(`${context}: ${name}: ${detail ?? errorMessage(code)}`);
    this.name = 'KafkaResponseError';
    this.code = code;
    this.errorName = name;
  }
}

export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

/** Throws a KafkaResponseError unless `code` is NONE (0). */
export function throwIfError(code: number, context: string, detail?: string | null): void {
  if (code !== 0) throw new KafkaResponseError(code, context, detail);
}

/** Whether trying again (after refreshing metadata) may succeed: lost connections and Kafka's retriable codes. */
export function isRetriableFailure(err: unknown): boolean {
  return err instanceof ConnectionError || (err instanceof KafkaResponseError && isRetriable(err.code));
}
