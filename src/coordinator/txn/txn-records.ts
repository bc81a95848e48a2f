/**
 * __transaction_state records in Kafka's format (TransactionLog.keyToBytes / valueToBytes),
 * so Kafka's tools read what Gregor writes and the other way round:
 *
 *   key   = int16 version 0 + TransactionLogKey {transactionalId}
 *   value = int16 version 0 + TransactionLogValue {producerId, producerEpoch,
 *           transactionTimeoutMs, transactionStatus, transactionPartitions (by topic),
 *           transactionLastUpdateTimestampMs, transactionStartTimestampMs}, or null
 *           (tombstone: the transactional id expired).
 * Version 1 values (flexible, with previousProducerId/nextProducerId tags, Kafka 4's
 * transaction version 2) are read too.
 */
import { decodeTransactionLogKey, encodeTransactionLogKey } from '../../protocol/generated/records/transaction-log-key.ts';
import { decodeTransactionLogValue, encodeTransactionLogValue } from '../../protocol/generated/records/transaction-log-value.ts';
import { Reader } from '../../protocol/reader.ts';
import { Writer } from '../../protocol/writer.ts';
import type { CoordinatorRecord } from '../runtime/coordinator-record.ts';
import { parseTpKey, tpKey, type TxnTransit } from './txn-metadata.ts';
import { stateFromId, stateId } from './txn-state.ts';

const KEY_VERSION = 0;
const VALUE_VERSION = 0;

function framed(version: number, encode: (w: Writer) => void): Buffer {
  const w = new Writer();
  w.writeInt16(version);
  encode(w);
  return w.toBuffer();
}

export function txnKey(transactionalId: string): Buffer {
  return framed(KEY_VERSION, (w) => encodeTransactionLogKey(w, KEY_VERSION, { transactionalId }));
}

export function txnRecord(transactionalId: string, t: TxnTransit): CoordinatorRecord {
  const byTopic = new Map<string, number[]>();
  for (const key of [...t.partitions].sort()) {
    const { topic, partition } = parseTpKey(key);
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  }
  const value = framed(VALUE_VERSION, (w) => encodeTransactionLogValue(w, VALUE_VERSION, {
    producerId: t.producerId,
    producerEpoch: t.producerEpoch,
    transactionTimeoutMs: t.timeoutMs,
    transactionStatus: stateId(t.state),
    transactionPartitions: [...byTopic].map(([topic, partitionIds]) => ({ topic, partitionIds })),
    transactionLastUpdateTimestampMs: t.txnLastUpdateTimestampMs,
    transactionStartTimestampMs: t.txnStartTimestampMs,
  }));
  return { key: txnKey(transactionalId), value };
}

export function txnTombstone(transactionalId: string): CoordinatorRecord {
  return { key: txnKey(transactionalId), value: null };
}

/** The transactional id of a key, or null for a key version this coordinator does not own. */
export function decodeTxnKey(key: Buffer): string | null {
  const r = new Reader(key);
  const version = r.readInt16();
  if (version !== KEY_VERSION) return null;
  return decodeTransactionLogKey(r, version).transactionalId;
}

export function decodeTxnValue(value: Buffer): TxnTransit {
  const r = new Reader(value);
  const version = r.readInt16();
  const v = decodeTransactionLogValue(r, version);
  const partitions = new Set<string>();
  for (const t of v.transactionPartitions ?? []) for (const p of t.partitionIds) partitions.add(tpKey(t.topic, p));
  return {
    producerId: v.producerId,
    previousProducerId: v.previousProducerId,
    producerEpoch: v.producerEpoch,
    lastProducerEpoch: -1,
    timeoutMs: v.transactionTimeoutMs,
    state: stateFromId(v.transactionStatus),
    partitions,
    txnStartTimestampMs: v.transactionStartTimestampMs,
    txnLastUpdateTimestampMs: v.transactionLastUpdateTimestampMs,
  };
}
