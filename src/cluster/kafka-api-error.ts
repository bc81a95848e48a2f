/**
 * KafkaApiError: an operation failed with a Kafka error code that the request handler
 * returns to the client as-is (with the message as errorMessage where the API has one).
 */
import { errorName } from '../protocol/errors.ts';
import type { ErrorCodeValue } from '../protocol/errors.ts';

export class KafkaApiError extends Error {
  readonly code: ErrorCodeValue;

  constructor(code: ErrorCodeValue, message: string) {
    super(message);
    this.name = `KafkaApiError(${errorName(code)})`;
    this.code = code;
  }
}
