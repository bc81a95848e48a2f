/**
 * The one error type of the records layer: a batch or message set that cannot be parsed,
 * built or converted, carrying the Kafka error code the broker answers with
 * (CORRUPT_MESSAGE for bytes that do not decode or fail a checksum, INVALID_RECORD for
 * well-formed but illegal content, UNSUPPORTED_COMPRESSION_TYPE, ...).
 */
import type { ErrorCodeValue } from '../errors.ts';

export class InvalidRecordError extends Error {
  readonly code: ErrorCodeValue;

  constructor(code: ErrorCodeValue, message: string) {
    super(message);
    this.name = 'InvalidRecordError';
    this.code = code;
  }
}
