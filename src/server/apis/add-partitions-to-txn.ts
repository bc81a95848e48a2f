/**
 * AddPartitionsToTxn (key 24), versions 0-5 (Kafka's handleAddPartitionsToTxnRequest):
 *  - v0-3 (clients): one transaction; partitions of unknown topics (or beyond the
 *    partition count) are UNKNOWN_TOPIC_OR_PARTITION and the others OPERATION_NOT_ATTEMPTED
 *    (nothing is added); otherwise every partition gets the coordinator's answer;
 *  - v4+ (brokers, KIP-890): a batch of transactions, each either added or, with
 *    verifyOnly, checked: NONE for partitions in the ongoing transaction, else
 *    INVALID_TXN_STATE. The top-level error is NONE.
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  AddPartitionsToTxnRequest, AddPartitionsToTxnRequestAddPartitionsToTxnTopic, AddPartitionsToTxnRequestAddPartitionsToTxnTransaction,
  AddPartitionsToTxnResponse, AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult,
} from '../../protocol/generated/add-partitions-to-txn.ts';
import { tpKey } from '../../coordinator/txn/txn-metadata.ts';
import type { ApiHandler, RequestContext } from '../api-handler.ts';
import { partitionExists } from './known-partitions.ts';
import { fencedForVersion, PRODUCER_FENCED_MIN_VERSION, type TxnServices } from './txn-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 5;
const BATCHED_MIN_VERSION = 4;

type Services = Pick<TxnServices, 'transactions' | 'metadata'>;
type TopicResult = AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult;

export function createAddPartitionsToTxnHandler(services: Services): ApiHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> {
  return {
    apiKey: ApiKey.AddPartitionsToTxn,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request, ctx) => handle(services, request, ctx),
  };
}

async function handle(s: Services, request: AddPartitionsToTxnRequest, ctx: RequestContext): Promise<AddPartitionsToTxnResponse> {
  if (ctx.apiVersion < BATCHED_MIN_VERSION) {
    const results = await addOne(s, ctx.apiVersion, {
      transactionalId: request.v3AndBelowTransactionalId, producerId: request.v3AndBelowProducerId,
      producerEpoch: request.v3AndBelowProducerEpoch, verifyOnly: false, topics: request.v3AndBelowTopics,
    });
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction: [], resultsByTopicV3AndBelow: results };
  }
  const resultsByTransaction = await Promise.all(request.transactions.map(async (t) => ({ transactionalId: t.transactionalId, topicResults: await addOne(s, ctx.apiVersion, t) })));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction, resultsByTopicV3AndBelow: [] };
}

async function addOne(s: Services, version: number, t: AddPartitionsToTxnRequestAddPartitionsToTxnTransaction): Promise<TopicResult[]> {
  const image = s.metadata.image();
  const unknown = t.topics.some((topic) => topic.partitions.some((p) => !partitionExists(image, topic.name, p)));
  if (unknown) {
    return answer(t.topics, (topic, p) => (partitionExists(image, topic, p) ? ErrorCode.OPERATION_NOT_ATTEMPTED : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
  }
  const keys = t.topics.flatMap((topic) => topic.partitions.map((p) => tpKey(topic.name, p)));
  if (t.verifyOnly) {
    const verdicts = s.transactions.verifyPartitions(t.transactionalId, t.producerId, t.producerEpoch, keys);
    return answer(t.topics, (topic, p) => verdicts.get(tpKey(topic, p)) ?? ErrorCode.INVALID_TXN_STATE);
  }
  const added = await s.transactions.addPartitions(t.transactionalId, t.producerId, t.producerEpoch, keys);
  const error = fencedForVersion(added, version, PRODUCER_FENCED_MIN_VERSION.AddPartitionsToTxn);
  return answer(t.topics, () => error);
}

function answer(topics: readonly AddPartitionsToTxnRequestAddPartitionsToTxnTopic[], errorFor: (topic: string, partition: number) => ErrorCodeValue): TopicResult[] {
  return topics.map((topic) => ({
    name: topic.name,
    resultsByPartition: topic.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: errorFor(topic.name, p) })),
  }));
}
