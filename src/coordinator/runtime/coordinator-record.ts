/**
 * A record of a coordinator's internal topic as the coordinator sees it: key and value
 * bytes in Kafka's layout (int16 record version, then the versioned struct). A null
 * value is a tombstone: replay deletes what the key names, and compaction later drops
 * both.
 */
export interface CoordinatorRecord {
  readonly key: Buffer;
  readonly value: Buffer | null;
}

/** A record read back while loading a partition. */
export interface LoadedRecord extends CoordinatorRecord {
  readonly offset: number;
  /** -1 outside transactions. */
  readonly producerId: number;
  readonly isTransactional: boolean;
  /** Transaction markers (the key holds the control record type). */
  readonly isControl: boolean;
}
