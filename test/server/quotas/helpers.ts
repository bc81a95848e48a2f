/**
 * Helpers for the client quota tests: setting a quota through AlterClientQuotas on a raw
 * connection, a Produce request with one record batch, the frame size Kafka records for a
 * request, and reading a quota series off /metrics.
 */
import assert from 'node:assert/strict';
import type { RunningBroker } from '../../../src/broker.ts';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import type { AlterClientQuotasResponse } from '../../../src/protocol/generated/alter-client-quotas.ts';
import { ApiKey, apiByKey } from '../../../src/protocol/generated/api-table.ts';
import type { ProduceRequest } from '../../../src/protocol/generated/produce.ts';
import { encodeRequestHeader } from '../../../src/protocol/headers.ts';
import { buildRecordBatch } from '../../../src/protocol/records/index.ts';
import { Writer } from '../../../src/protocol/writer.ts';
import type { KafkaTestClient } from '../../helpers/kafka-client.ts';

export type Entity = Partial<Record<'user' | 'client-id', string | null>>;

/** Sets (or with null removes) one quota key of an entity through AlterClientQuotas. */
export async function setQuota(client: KafkaTestClient, entity: Entity, key: string, value: number | null): Promise<void> {
  const response = await client.request<AlterClientQuotasResponse>(ApiKey.AlterClientQuotas, 1, {
    validateOnly: false,
    entries: [{
      entity: Object.entries(entity).map(([entityType, entityName]) => ({ entityType, entityName })),
      ops: [{ key, value: value ?? 0, remove: value === null }],
    }],
  });
  assert.equal(response.entries[0].errorCode, ErrorCode.NONE, response.entries[0].errorMessage ?? '');
}

/** One batch with one record of `valueBytes` bytes (fixed timestamp, so its size is stable). */
export function oneRecordBatch(valueBytes: number): Promise<Buffer> {
  return buildRecordBatch({ records: [{ value: Buffer.alloc(valueBytes, 0x61) }], now: 1_700_000_000_000 });
}

export function produceRequest(topic: string, records: Buffer, acks = 1): ProduceRequest {
  return { transactionalId: null, acks, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] };
}

/** Bytes of a request frame after the size prefix (Kafka's request.sizeInBytes), as KafkaTestClient sends it. */
export function requestSizeBytes(apiKey: number, version: number, body: object, clientId: string): number {
  const w = new Writer();
  encodeRequestHeader(w, { apiKey, apiVersion: version, correlationId: 1, clientId });
  apiByKey.get(apiKey)!.encodeRequest(w, version, body);
  return w.toBuffer().length;
}

/** The value of a quota series on /metrics (kafka_server_<type>_<name>) for a client id, or undefined. */
export async function quotaMetric(broker: RunningBroker, series: string, clientId: string, user = ''): Promise<number | undefined> {
  const text = await broker.metrics.render();
  const line = text.split('\n').find((l) => l.startsWith(`${series}{user="${user}",client_id="${clientId}"}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}
