/**
 * HttpError: a failure the admin HTTP server answers with a status and a JSON body
 * `{ "error": "<NAME>", "message": "<what happened and what to do>" }`. NAME is Kafka's
 * error name when the broker refused something with a Kafka error code
 * (TOPIC_ALREADY_EXISTS, INVALID_CONFIG, ...), else one of ours (NOT_FOUND, BAD_REQUEST,
 * PAYLOAD_TOO_LARGE, METHOD_NOT_ALLOWED, STARTING, INTERNAL).
 */
import { KafkaApiError } from '../cluster/kafka-api-error.ts';
import { ConfigError } from '../config/config-error.ts';
import { ErrorCode, errorName } from '../protocol/errors.ts';

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, 'BAD_REQUEST', message);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, 'NOT_FOUND', message);
}

/** HTTP status for a Kafka error code an admin operation failed with. */
const STATUS_BY_KAFKA_CODE = new Map<number, number>([
  [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 404],
  [ErrorCode.UNKNOWN_TOPIC_ID, 404],
  [ErrorCode.GROUP_ID_NOT_FOUND, 404],
  [ErrorCode.TOPIC_ALREADY_EXISTS, 409],
  [ErrorCode.NON_EMPTY_GROUP, 409],
  [ErrorCode.TOPIC_DELETION_DISABLED, 403],
  [ErrorCode.TOPIC_AUTHORIZATION_FAILED, 403],
]);

/** Maps what an operation threw to an HttpError; anything unexpected is a 500. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof KafkaApiError) {
    return new HttpError(STATUS_BY_KAFKA_CODE.get(err.code) ?? 400, errorName(err.code), err.message);
  }
  if (err instanceof ConfigError) return new HttpError(400, 'INVALID_CONFIG', err.message);
  return new HttpError(500, 'INTERNAL', err instanceof Error ? err.message : String(err));
}
