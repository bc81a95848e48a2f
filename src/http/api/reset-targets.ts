/**
 * Where POST /api/groups/:id/reset-offsets moves a group: for each chosen partition of the
 * topic, the log start (`earliest`), the high watermark (`latest`), an offset clamped into
 * [log start, high watermark] (`offset`), or the first offset at or after a timestamp (the
 * high watermark when none) (`timestamp`), as kafka-consumer-groups --reset-offsets does.
 */
import { badRequest, HttpError, notFound } from '../http-error.ts';
import type { ApiContext } from './context.ts';

export interface ResetTarget {
  topic: string;
  partition: number;
  offset: number;
}

type To = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'offset'; offset: number } | { kind: 'timestamp'; timestamp: number };

export async function resolveResetTargets(ctx: ApiContext, topic: string, body: Record<string, unknown>): Promise<ResetTarget[]> {
  const info = ctx.services.metadata.image().topic(topic);
  if (info === undefined) throw notFound(`topic '${topic}' does not exist`);
  const to = parseTo(body.to);
  const partitions = parsePartitions(body.partitions, info.partitions.length);
  const targets: ResetTarget[] = [];
  for (const partition of partitions) {
    const hosted = ctx.services.replicas.getPartition(topic, partition);
    if (hosted === undefined) throw new HttpError(409, 'NOT_LEADER_OR_FOLLOWER', `partition ${partition} of '${topic}' is not hosted by this broker`);
    const start = hosted.logStartOffset;
    const end = hosted.highWatermark;
    let offset: number;
    if (to.kind === 'earliest') offset = start;
    else if (to.kind === 'latest') offset = end;
    else if (to.kind === 'offset') offset = Math.min(end, Math.max(start, to.offset));
    else offset = (await hosted.offsetForTimestamp(to.timestamp, 'uncommitted'))?.offset ?? end;
    targets.push({ topic, partition, offset });
  }
  return targets;
}

function parseTo(value: unknown): To {
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (v.earliest === true) return { kind: 'earliest' };
    if (v.latest === true) return { kind: 'latest' };
    if (Number.isSafeInteger(v.offset) && (v.offset as number) >= 0) return { kind: 'offset', offset: v.offset as number };
    if (Number.isSafeInteger(v.timestamp) && (v.timestamp as number) >= 0) return { kind: 'timestamp', timestamp: v.timestamp as number };
  }
  throw badRequest("'to' must be one of {\"earliest\":true}, {\"latest\":true}, {\"offset\":N}, {\"timestamp\":ms}");
}

function parsePartitions(value: unknown, count: number): number[] {
  if (value === undefined || value === null) return Array.from({ length: count }, (_, i) => i);
  if (!Array.isArray(value) || !value.every((p) => Number.isSafeInteger(p) && p >= 0 && p < count)) {
    throw badRequest(`'partitions' must be an array of partition numbers from 0 to ${count - 1}`);
  }
  return [...new Set(value as number[])].sort((a, b) => a - b);
}
