/**
 * Producer sequence arithmetic (Kafka's DefaultRecordBatch.incrementSequence /
 * decrementSequence): sequences are non-negative Int32 values that wrap from
 * Int32 max back to 0.
 */

export const INT32_MAX = 0x7fffffff;

/** `sequence + increment`, wrapping past Int32 max to 0. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
  return sequence + increment;
}

/** `sequence - decrement`, wrapping below 0 to Int32 max. */
export function decrementSequence(sequence: number, decrement: number): number {
  if (sequence < decrement) return sequence - decrement + INT32_MAX + 1;
  return sequence - decrement;
}

/** Whether `next` directly follows `last` (Kafka's ProducerAppendInfo.inSequence). */
export function inSequence(last: number, next: number): boolean {
  return next === last + 1 || (next === 0 && last === INT32_MAX);
}
