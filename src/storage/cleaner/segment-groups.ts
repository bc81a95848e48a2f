/**
 * Groups consecutive segments into the sets cleaned into one segment each (Kafka's
 * Cleaner.groupSegmentsBySize): a group grows while its total log size stays within
 * segment.bytes and its offsets stay within what a segment's int32 relative offsets can
 * address. Sizes are the pre-cleaning sizes, so a cleaned segment never exceeds segment.bytes
 * (rewritten batches are recompressed with the same codec and do not grow materially).
 */
const MAX_RELATIVE_OFFSET = 0x7fffffff;

export interface GroupableSegment {
  readonly baseOffset: number;
  readonly size: number;
}

/**
 * `segments` ascending by base offset; `endOffset` is the offset after the last one (the
 * next segment's base), used for the offset-range bound of the last group.
 */
export function groupSegmentsBySize<S extends GroupableSegment>(segments: readonly S[], maxBytes: number, endOffset: number): S[][] {
  const groups: S[][] = [];
  let i = 0;
  while (i < segments.length) {
    const group = [segments[i]];
    let bytes = segments[i].size;
    i++;
    while (i < segments.length) {
      const next = segments[i];
      const nextEnd = (segments[i + 1]?.baseOffset ?? endOffset) - 1;
      if (bytes + next.size > maxBytes || nextEnd - group[0].baseOffset > MAX_RELATIVE_OFFSET) break;
      group.push(next);
      bytes += next.size;
      i++;
    }
    groups.push(group);
  }
  return groups;
}
