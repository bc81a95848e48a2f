/** The coordinator runtime: what any coordinator backed by an internal topic uses. */
export type { CoordinatorRecord, LoadedRecord } from './coordinator-record.ts';
export { CoordinatorRuntime } from './coordinator-runtime.ts';
export type { CoordinatorRuntimeOptions, CoordinatorShard, ShardContext, ShardLookup } from './coordinator-runtime.ts';
export { coordinatorWriteError } from './operation-errors.ts';
export { javaStringHashCode, kafkaAbs, partitionFor } from './partition-for.ts';
export { loadPartition } from './partition-loader.ts';
export { appendCommitted } from './partition-writer.ts';
export type { AppendResult } from './partition-writer.ts';
export { KeyedTimer, ManualScheduler, schedulerFor, systemScheduler } from './timer.ts';
export type { Scheduler, SchedulerHandle } from './timer.ts';
