/**
 * What an entry of a log dir is, by its name: a partition log `<topic>-<partition>`, a log
 * being deleted `<topic>-<partition>.<uniqueid>-delete`, or something else (Kafka's
 * `__cluster_metadata-0` KRaft log, `-future` / `-stray` dirs, checkpoint files...), which
 * the log manager leaves alone.
 */
import path from 'node:path';

export const DELETE_DIR_SUFFIX = '-delete';

/** The KRaft metadata log's directory; not a partition log of ours. */
const CLUSTER_METADATA_DIR = '__cluster_metadata-0';

const PARTITION_DIR = /^([a-zA-Z0-9._-]{1,249})-(\d{1,10})$/;

export type LogDirEntry =
  | { readonly kind: 'partition'; readonly topic: string; readonly partition: number }
  | { readonly kind: 'deleted' }
  | { readonly kind: 'other' };

export function classifyLogDirEntry(name: string): LogDirEntry {
  if (name.endsWith(DELETE_DIR_SUFFIX) && name.includes('.')) return { kind: 'deleted' };
  if (name === CLUSTER_METADATA_DIR) return { kind: 'other' };
  const match = PARTITION_DIR.exec(name);
  if (match === null) return { kind: 'other' };
  const partition = Number(match[2]);
  if (partition > 0x7fffffff) return { kind: 'other' };
  return { kind: 'partition', topic: match[1], partition };
}

/** `<topic>-<partition>.<uniqueid>-delete`. */
export function deletedDirName(topic: string, partition: number, uniqueId: string): string {
  return `${topic}-${partition}.${uniqueId}${DELETE_DIR_SUFFIX}`;
}

/** `<topic>-<partition>`: the directory name of a partition's log. */
export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export function partitionDir(logDir: string, topic: string, partition: number): string {
  return path.join(logDir, partitionDirName(topic, partition));
}
