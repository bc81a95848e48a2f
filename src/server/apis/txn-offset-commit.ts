/**
 * TxnOffsetCommit (key 28), versions 0-4 (logic in src/coordinator/group/txn-offsets.ts):
 * offsets written as part of the producer's transaction, visible to OffsetFetch only
 * after the transaction commits (discarded if it aborts). Partitions that do not exist
 * are UNKNOWN_TOPIC_OR_PARTITION; coordinator errors (NOT_COORDINATOR,
 * COORDINATOR_LOAD_IN_PROGRESS...) are answered for every partition.
 */
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from '../../protocol/generated/txn-offset-commit.ts';
import { txnCommitOffsets } from '../../coordinator/group/txn-offsets.ts';
import type { ApiHandler } from '../api-handler.ts';
import { answersInRequestOrder, knownPartitions, unknownPartition } from './known-partitions.ts';
import type { TxnServices } from './txn-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 4;

export function createTxnOffsetCommitHandler(services: Pick<TxnServices, 'groups' | 'metadata'>): ApiHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponse> {
  return {
    apiKey: ApiKey.TxnOffsetCommit,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: async (request) => {
      const known = knownPartitions(services.metadata.image(), request.topics);
      const found = services.groups.runtime.shardFor(request.groupId);
      const answered = known.length === 0 ? []
        : found.ok ? await txnCommitOffsets(found.shard, { ...request, topics: known })
          : known.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: found.error })) }));
      return { throttleTimeMs: 0, topics: answersInRequestOrder(request.topics, answered, unknownPartition) };
    },
  };
}
