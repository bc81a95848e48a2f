/**
 * ProducerStateError: an append refused by producer-state checks, carrying the Kafka error
 * code the Produce (or WriteTxnMarkers) response gives for it.
 */
import type { ErrorCodeValue } from '../../protocol/errors.ts';

export class ProducerStateError extends Error {
  override name = 'ProducerStateError';
  readonly code: ErrorCodeValue;

  constructor(code: ErrorCodeValue, message: string) {
    super(message);
    this.code = code;
  }
}
