/**
 * `partition.metadata` in a partition directory (Kafka's PartitionMetadataFile): the topic
 * id the log belongs to, so a log of a deleted-and-recreated topic is never mistaken for
 * the new one. Text format, exactly as Kafka writes it:
 *
 *   version: 0
 *   topic_id: <base64url topic id>
 *
 * Crash policy: written atomically (tmp -> fsync -> rename -> fsync dir).
 */
import path from 'node:path';
import { readFileIfExists, writeFileAtomic } from './file-io.ts';
import { PARTITION_METADATA_FILE } from './file-names.ts';

const VERSION = 0;

export class PartitionMetadataError extends Error {
  override name = 'PartitionMetadataError';
}

export async function writePartitionMetadata(dir: string, topicId: string): Promise<void> {
  await writeFileAtomic(path.join(dir, PARTITION_METADATA_FILE), `version: ${VERSION}\ntopic_id: ${topicId}\n`);
}

/** The topic id recorded in `dir`, or null when the file does not exist. */
export async function readPartitionMetadata(dir: string): Promise<string | null> {
  const file = path.join(dir, PARTITION_METADATA_FILE);
  const bytes = await readFileIfExists(file);
  if (bytes === null) return null;
  const fields = new Map<string, string>();
  for (const line of bytes.toString('utf8').split('\n')) {
    if (line === '') continue;
    const sep = line.indexOf(': ');
    if (sep < 0) throw new PartitionMetadataError(`${file}: malformed line "${line}"`);
    fields.set(line.slice(0, sep), line.slice(sep + 2));
  }
  if (fields.get('version') !== String(VERSION)) throw new PartitionMetadataError(`${file}: unsupported version "${fields.get('version')}"`);
  const topicId = fields.get('topic_id');
  if (topicId === undefined) throw new PartitionMetadataError(`${file}: no topic_id`);
  return topicId;
}
