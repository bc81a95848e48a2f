/**
 * TxnShard: the transaction coordinator's state for one __transaction_state partition
 * (Kafka's TransactionStateManager, per partition): the transactional ids whose
 * `abs(hash(id)) % transaction.state.log.num.partitions` is this partition, with their
 * TxnMetadata, and an index by producer id (partition verification, KIP-890).
 *
 * Loading replays every TransactionLogValue (tombstones forget the id). Once loaded
 * (`onLoaded`) the coordinator resumes what a previous leader left half-done: a
 * transaction in PrepareCommit/PrepareAbort gets its markers (again) and its Complete
 * state, so a crash in the middle of a commit ends committed on every partition.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import type { CoordinatorShard, ShardContext } from '../runtime/coordinator-runtime.ts';
import type { CoordinatorRecord, LoadedRecord } from '../runtime/coordinator-record.ts';
import type { AppendResult } from '../runtime/partition-writer.ts';
import { TxnMetadata, type TxnTransit } from './txn-metadata.ts';
import { decodeTxnKey, decodeTxnValue, txnRecord } from './txn-records.ts';

export interface TxnShardHooks {
  /** The shard is loaded: resume pending completions, start the timeout check. */
  onLoaded(shard: TxnShard): void;
}

export class TxnShard implements CoordinatorShard {
  readonly ctx: ShardContext;
  readonly #hooks: TxnShardHooks;
  readonly txns = new Map<string, TxnMetadata>();
  readonly #byProducerId = new Map<number, TxnMetadata>();
  /** The partition's leader epoch when loaded (markers carry it as the coordinator epoch). */
  readonly coordinatorEpoch: number;

  constructor(ctx: ShardContext, coordinatorEpoch: number, hooks: TxnShardHooks) {
    this.ctx = ctx;
    this.coordinatorEpoch = coordinatorEpoch;
    this.#hooks = hooks;
  }

  now(): number {
    return this.ctx.scheduler.now();
  }

  get(transactionalId: string): TxnMetadata | undefined {
    return this.txns.get(transactionalId);
  }

  byProducerId(producerId: number): TxnMetadata | undefined {
    return this.#byProducerId.get(producerId);
  }

  /** Adds metadata not yet written (a new transactional id, state Empty, pending its first write). */
  add(metadata: TxnMetadata): void {
    this.txns.set(metadata.transactionalId, metadata);
    this.#byProducerId.set(metadata.producerId, metadata);
  }

  remove(transactionalId: string): void {
    const m = this.txns.get(transactionalId);
    if (m === undefined) return;
    this.txns.delete(transactionalId);
    if (this.#byProducerId.get(m.producerId) === m) this.#byProducerId.delete(m.producerId);
  }

  /**
   * Writes `transit` for `metadata` and applies it once committed; on failure the metadata
   * stays as it was (not pending) and the write's error is returned.
   */
  async write(metadata: TxnMetadata, transit: TxnTransit): Promise<AppendResult> {
    const result = await this.#append([txnRecord(metadata.transactionalId, transit)]);
    if (!result.ok) {
      metadata.abandon();
      return result;
    }
    if (metadata.producerId !== transit.producerId) this.#byProducerId.delete(metadata.producerId);
    metadata.complete(transit);
    this.#byProducerId.set(metadata.producerId, metadata);
    return result;
  }

  #append(records: readonly CoordinatorRecord[]): Promise<AppendResult> {
    if (!this.ctx.isActive()) return Promise.resolve({ ok: false, error: ErrorCode.NOT_COORDINATOR });
    return this.ctx.append(records);
  }

  replay(record: LoadedRecord): void {
    if (record.isControl) return;
    const transactionalId = decodeTxnKey(record.key);
    if (transactionalId === null) return;
    if (record.value === null) {
      this.remove(transactionalId);
      return;
    }
    const transit = decodeTxnValue(record.value);
    const existing = this.txns.get(transactionalId);
    if (existing === undefined) {
      this.add(new TxnMetadata(transactionalId, transit));
      return;
    }
    if (existing.producerId !== transit.producerId) this.#byProducerId.delete(existing.producerId);
    existing.complete({ ...transit, lastProducerEpoch: existing.producerEpoch === transit.producerEpoch ? existing.lastProducerEpoch : existing.producerEpoch });
    this.#byProducerId.set(existing.producerId, existing);
  }

  onLoaded(): void {
    this.#hooks.onLoaded(this);
    if (this.txns.size > 0) this.ctx.logger.info({ partition: this.ctx.partitionIndex, transactionalIds: this.txns.size }, 'loaded transactions');
  }

  onUnloaded(): void {
    this.txns.clear();
    this.#byProducerId.clear();
  }
}
