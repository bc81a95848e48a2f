/**
 * DescribeLogDirs (key 35), versions 0-4, as Kafka's ReplicaManager.describeLogDirs: one
 * result per log dir of this broker, listing the partitions it holds (all of them when
 * `topics` is null, else only the requested ones that are there) with their size in
 * bytes, offsetLag 0 (the lag of a future replica behind the current one; Gregor moves
 * no replicas between dirs, so never a future log) and isFutureKey false. A dir with none
 * of the requested partitions is still listed, with no topics.
 * v4+: totalBytes / usableBytes of the dir's file system (statfs; -1 if it fails, the
 * dir then answers KAFKA_STORAGE_ERROR as Kafka does for an offline dir).
 * The top-level errorCode (v3+) is only ever an authorization error: NONE here.
 */
import { statfs } from 'node:fs/promises';
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  DescribeLogDirsRequest,
  DescribeLogDirsResponse,
  DescribeLogDirsResponseDescribeLogDirsResult as DirResult,
  DescribeLogDirsResponseDescribeLogDirsTopic as TopicResult,
} from '../../protocol/generated/describe-log-dirs.ts';
import type { LogManager } from '../../storage/log-manager.ts';
import type { PartitionLog } from '../../storage/partition-log.ts';
import type { ApiHandler } from '../api-handler.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 4;

interface Services {
  readonly logs: Pick<LogManager, 'logDirs' | 'allLogs' | 'logDirOf'>;
}

/** Which partitions were asked for: null = every one. */
type Wanted = ReadonlyMap<string, ReadonlySet<number>> | null;

export function createDescribeLogDirsHandler(services: Services): ApiHandler<DescribeLogDirsRequest, DescribeLogDirsResponse> {
  return {
    apiKey: ApiKey.DescribeLogDirs,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    async handle(request) {
      const wanted: Wanted = request.topics === null ? null : wantedPartitions(request.topics);
      const results = await Promise.all(services.logs.logDirs.map((dir) => describeDir(services, dir, wanted)));
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, results };
    },
  };
}

function wantedPartitions(topics: readonly { topic: string; partitions: number[] }[]): Map<string, Set<number>> {
  const wanted = new Map<string, Set<number>>();
  for (const t of topics) {
    const set = wanted.get(t.topic) ?? new Set<number>();
    for (const p of t.partitions) set.add(p);
    wanted.set(t.topic, set);
  }
  return wanted;
}

async function describeDir(services: Services, logDir: string, wanted: Wanted): Promise<DirResult> {
  const space = await diskSpace(logDir);
  if (space === null) return { errorCode: ErrorCode.KAFKA_STORAGE_ERROR, logDir, topics: [], totalBytes: -1, usableBytes: -1 };
  const logs = services.logs.allLogs().filter((log) => services.logs.logDirOf(log.topic, log.partition) === logDir && isWanted(log, wanted));
  return { errorCode: ErrorCode.NONE, logDir, topics: byTopic(logs), ...space };
}

function isWanted(log: PartitionLog, wanted: Wanted): boolean {
  return wanted === null || (wanted.get(log.topic)?.has(log.partition) ?? false);
}

function byTopic(logs: readonly PartitionLog[]): TopicResult[] {
  const topics = new Map<string, TopicResult>();
  for (const log of logs) {
    let topic = topics.get(log.topic);
    if (topic === undefined) {
      topic = { name: log.topic, partitions: [] };
      topics.set(log.topic, topic);
    }
    topic.partitions.push({ partitionIndex: log.partition, partitionSize: log.size, offsetLag: 0, isFutureKey: false });
  }
  for (const topic of topics.values()) topic.partitions.sort((a, b) => a.partitionIndex - b.partitionIndex);
  return [...topics.values()];
}

/** Total and usable (unprivileged free) bytes of the dir's file system, or null when unreadable. */
async function diskSpace(dir: string): Promise<{ totalBytes: number; usableBytes: number } | null> {
  try {
    const fs = await statfs(dir);
    return { totalBytes: fs.bsize * fs.blocks, usableBytes: fs.bsize * fs.bavail };
  } catch {
    return null;
  }
}
