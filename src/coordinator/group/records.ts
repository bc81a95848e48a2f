/**
 * The records the group coordinator writes to __consumer_offsets, in Kafka's format
 * (GroupCoordinatorRecordHelpers / GroupCoordinatorRecordSerde), so Kafka tools and
 * Burrow read them:
 *
 *   key   = int16 record version + key struct:
 *             0 or 1 -> OffsetCommitKey {group, topic, partition}   (written as 1)
 *             2      -> GroupMetadataKey {group}
 *             3+     -> KIP-848 / share-group records (not classic; surfaced as 'other')
 *   value = int16 value version + value struct, or null (tombstone):
 *             OffsetCommitValue v3 (v1 when the commit carries an explicit expire time,
 *             OffsetCommit v2-4 retentionTimeMs), GroupMetadataValue v3 — what Kafka 4.0
 *             writes (the highest non-flexible versions).
 */
import { Reader } from '../../protocol/reader.ts';
import { Writer } from '../../protocol/writer.ts';
import { decodeGroupMetadataKey, encodeGroupMetadataKey } from '../../protocol/generated/records/group-metadata-key.ts';
import { decodeGroupMetadataValue, encodeGroupMetadataValue } from '../../protocol/generated/records/group-metadata-value.ts';
import type { GroupMetadataValue } from '../../protocol/generated/records/group-metadata-value.ts';
import { decodeOffsetCommitKey, encodeOffsetCommitKey } from '../../protocol/generated/records/offset-commit-key.ts';
import { decodeOffsetCommitValue, encodeOffsetCommitValue } from '../../protocol/generated/records/offset-commit-value.ts';
import type { OffsetCommitValue } from '../../protocol/generated/records/offset-commit-value.ts';
import type { Input } from '../../protocol/generated/runtime.ts';
import type { CoordinatorRecord } from '../runtime/coordinator-record.ts';

export const OFFSET_COMMIT_KEY_VERSION = 1;
export const GROUP_METADATA_KEY_VERSION = 2;
export const GROUP_METADATA_VALUE_VERSION = 3;
export const OFFSET_COMMIT_VALUE_VERSION = 3;
/** The only value version with expireTimestamp. */
export const OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY = 1;

/** A committed offset as stored (Kafka's OffsetAndMetadata). */
export interface OffsetAndMetadata {
  readonly offset: number;
  /** -1 when unknown. */
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestampMs: number;
  /** -1 unless the commit asked for its own retention (OffsetCommit v2-4). */
  readonly expireTimestampMs: number;
}

export type DecodedKey =
  | { readonly type: 'offset'; readonly group: string; readonly topic: string; readonly partition: number }
  | { readonly type: 'group'; readonly group: string }
  | { readonly type: 'other'; readonly version: number };

function framed(version: number, encode: (w: Writer) => void): Buffer {
  const w = new Writer();
  w.writeInt16(version);
  encode(w);
  return w.toBuffer();
}

export function offsetCommitRecord(group: string, topic: string, partition: number, value: OffsetAndMetadata): CoordinatorRecord {
  const version = value.expireTimestampMs >= 0 ? OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY : OFFSET_COMMIT_VALUE_VERSION;
  const v: Input<OffsetCommitValue> = {
    offset: value.offset, leaderEpoch: value.leaderEpoch, metadata: value.metadata,
    commitTimestamp: value.commitTimestampMs, expireTimestamp: value.expireTimestampMs,
  };
  return {
    key: framed(OFFSET_COMMIT_KEY_VERSION, (w) => encodeOffsetCommitKey(w, OFFSET_COMMIT_KEY_VERSION, { group, topic, partition })),
    value: framed(version, (w) => encodeOffsetCommitValue(w, version, v)),
  };
}

export function offsetCommitTombstone(group: string, topic: string, partition: number): CoordinatorRecord {
  return { key: framed(OFFSET_COMMIT_KEY_VERSION, (w) => encodeOffsetCommitKey(w, OFFSET_COMMIT_KEY_VERSION, { group, topic, partition })), value: null };
}

export function groupMetadataRecord(group: string, value: Input<GroupMetadataValue>): CoordinatorRecord {
  return {
    key: groupMetadataKey(group),
    value: framed(GROUP_METADATA_VALUE_VERSION, (w) => encodeGroupMetadataValue(w, GROUP_METADATA_VALUE_VERSION, value)),
  };
}

export function groupMetadataTombstone(group: string): CoordinatorRecord {
  return { key: groupMetadataKey(group), value: null };
}

function groupMetadataKey(group: string): Buffer {
  return framed(GROUP_METADATA_KEY_VERSION, (w) => encodeGroupMetadataKey(w, GROUP_METADATA_KEY_VERSION, { group }));
}

export function decodeKey(key: Buffer): DecodedKey {
  const r = new Reader(key);
  const version = r.readInt16();
  if (version === 0 || version === 1) return { type: 'offset', ...decodeOffsetCommitKey(r, version) };
  if (version === 2) return { type: 'group', group: decodeGroupMetadataKey(r, version).group };
  return { type: 'other', version };
}

export function decodeOffsetValue(value: Buffer): OffsetAndMetadata {
  const r = new Reader(value);
  const version = r.readInt16();
  const v = decodeOffsetCommitValue(r, version);
  return {
    offset: v.offset, leaderEpoch: v.leaderEpoch, metadata: v.metadata,
    commitTimestampMs: v.commitTimestamp, expireTimestampMs: v.expireTimestamp,
  };
}

export function decodeGroupValue(value: Buffer): GroupMetadataValue {
  const r = new Reader(value);
  const version = r.readInt16();
  return decodeGroupMetadataValue(r, version);
}
