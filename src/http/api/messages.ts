/**
 * GET /api/topics/:name/messages: the message browser. Reads a partition through the
 * replica manager, as a read_uncommitted consumer would (up to the high watermark),
 * starting from `offset`, the first offset at or after `timestamp`, the `latest` N
 * messages, or the log start; returns at most `limit` messages. Control records
 * (transaction markers) are skipped. Bounded: at most MESSAGES_LIMIT_MAX messages and
 * READ_STEPS_MAX reads of READ_BYTES_PER_STEP each per request.
 */
import { CURRENT_MAGIC } from '../../protocol/records/batch-layout.ts';
import { RecordBatchView } from '../../protocol/records/batch.ts';
import { frameAt } from '../../protocol/records/framing.ts';
import { readRecords } from '../../protocol/records/record.ts';
import { errorName, ErrorCode } from '../../protocol/errors.ts';
import type { Partition } from '../../replication/partition.ts';
import { badRequest, HttpError, notFound } from '../http-error.ts';
import type { Route, RouteRequest } from '../router.ts';
import type { ApiContext } from './context.ts';
import { encodeBytes } from './encoded-bytes.ts';
import { queryInt } from './params.ts';
import type { Message, MessagesResponse } from './types.ts';

export const MESSAGES_LIMIT_DEFAULT = 50;
export const MESSAGES_LIMIT_MAX = 500;
const READ_BYTES_PER_STEP = 1_048_576;
const READ_STEPS_MAX = 16;
const OFFSET_MAX = Number.MAX_SAFE_INTEGER;

export function messageRoutes(ctx: ApiContext): Route[] {
  return [{ method: 'GET', pattern: '/api/topics/:name/messages', handler: async (req) => ({ json: await browse(ctx, req) }) }];
}

async function browse(ctx: ApiContext, req: RouteRequest): Promise<MessagesResponse> {
  const topic = req.params.name;
  const info = ctx.services.metadata.image().topic(topic);
  if (info === undefined) throw notFound(`topic '${topic}' does not exist`);
  const partitionId = queryInt(req.query, 'partition', 0, info.partitions.length - 1, 0);
  const partition = ctx.services.replicas.getPartition(topic, partitionId);
  if (partition === undefined) throw new HttpError(409, 'NOT_LEADER_OR_FOLLOWER', `partition ${partitionId} of '${topic}' is not hosted by this broker`);
  const limit = queryInt(req.query, 'limit', 1, MESSAGES_LIMIT_MAX, MESSAGES_LIMIT_DEFAULT);
  const start = await startOffset(partition, req.query);
  const { messages, nextOffset } = await readFrom(partition, start, limit);
  return {
    topic,
    partition: partitionId,
    messages,
    nextOffset,
    logStartOffset: partition.logStartOffset,
    highWatermark: partition.highWatermark,
  };
}

/** Where to start: exactly one of offset / timestamp / latest, else the log start. */
async function startOffset(partition: Partition, query: URLSearchParams): Promise<number> {
  const given = ['offset', 'timestamp', 'latest'].filter((k) => query.has(k));
  if (given.length > 1) throw badRequest(`give only one of offset, timestamp, latest (got ${given.join(', ')})`);
  const logStart = partition.logStartOffset;
  const end = partition.highWatermark;
  if (query.has('offset')) return Math.max(logStart, queryInt(query, 'offset', 0, OFFSET_MAX));
  if (query.has('latest')) return Math.max(logStart, end - queryInt(query, 'latest', 1, MESSAGES_LIMIT_MAX));
  if (query.has('timestamp')) {
    const found = await partition.offsetForTimestamp(queryInt(query, 'timestamp', 0, OFFSET_MAX), 'uncommitted');
    return found?.offset ?? end;
  }
  return logStart;
}

async function readFrom(partition: Partition, start: number, limit: number): Promise<{ messages: Message[]; nextOffset: number }> {
  const messages: Message[] = [];
  let offset = start;
  for (let step = 0; step < READ_STEPS_MAX && messages.length < limit && offset < partition.highWatermark; step++) {
    const read = await partition.read({ fetchOffset: offset, maxBytes: READ_BYTES_PER_STEP, minOneBatch: true, isolation: 'uncommitted' });
    if (read.error === ErrorCode.OFFSET_OUT_OF_RANGE) break;
    if (read.error !== ErrorCode.NONE) throw new HttpError(503, errorName(read.error), `reading the partition failed: ${errorName(read.error)}`);
    if (read.records.length === 0) break;
    offset = await collectBatches(read.records, partition.partition, offset, limit, messages);
  }
  return { messages, nextOffset: messages.length >= limit ? messages[messages.length - 1].offset + 1 : offset };
}

/** Appends the records at or after `from` to `out` (up to `limit`); returns the offset after the last batch read. */
async function collectBatches(records: Buffer, partition: number, from: number, limit: number, out: Message[]): Promise<number> {
  let next = from;
  for (let pos = 0; out.length < limit;) {
    const frame = frameAt(records, pos);
    if (frame.kind !== 'entry') break;
    pos = frame.end;
    // The log holds v2 batches (older formats are up-converted on produce); anything else
    // is skipped by its offset field (a v0/v1 entry's offset is its last record's).
    if (frame.magic !== CURRENT_MAGIC) {
      next = Number(records.readBigInt64BE(frame.start)) + 1;
      continue;
    }
    const batch = new RecordBatchView(records.subarray(frame.start, frame.end));
    next = batch.lastOffset + 1;
    if (batch.isControl) continue;
    for (const record of await readRecords(batch)) {
      if (record.offset < from || out.length >= limit) continue;
      out.push({
        partition,
        offset: record.offset,
        timestamp: record.timestamp,
        timestampType: batch.timestampType,
        key: encodeBytes(record.key),
        value: encodeBytes(record.value),
        headers: record.headers.map((h) => ({ key: h.key, value: encodeBytes(h.value) })),
      });
    }
  }
  return next;
}
