/**
 * `gregor transactions list|describe`, like kafka-transactions.sh: `list` prints one row
 * per transactional id (TransactionalId, Coordinator, ProducerId, TransactionState);
 * `describe <id>` prints its coordinator, producer id and epoch, state, timeout, start
 * time, duration and partitions. An unknown id is TRANSACTIONAL_ID_NOT_FOUND (exit 1).
 */
import type { Command } from 'commander';
import { describeTransaction, listTransactions } from '../client/transactions.ts';
import { withBootstrapOption, withClient } from '../client-command.ts';
import type { BootstrapOptions } from '../client-command.ts';
import { print, table } from './text-table.ts';

const NONE = '-';

export function registerTransactions(program: Command): void {
  const txns = program.command('transactions').description('list and describe transactional ids');
  withBootstrapOption(txns.command('list').description('every transactional id with its coordinator, producer id and state'))
    .action((opts: BootstrapOptions) => withClient(opts, async (client) => {
      const rows = (await listTransactions(client)).map((t) => [t.transactionalId, String(t.coordinator), String(t.producerId), t.transactionState]);
      print(table([['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'], ...rows]));
    }));
  withBootstrapOption(txns.command('describe <transactional-id>').description('state, producer, timeout and partitions of a transactional id'))
    .action((transactionalId: string, opts: BootstrapOptions) => withClient(opts, async (client) => {
      const t = await describeTransaction(client, transactionalId);
      const started = t.transactionStartTimeMs >= 0;
      const partitions = t.topics.flatMap((topic) => topic.partitions.map((p) => `${topic.topic}-${p}`)).join(',');
      print(table([
        ['CoordinatorId', 'TransactionalId', 'ProducerId', 'ProducerEpoch', 'TransactionState', 'TransactionTimeoutMs', 'CurrentTransactionStartTimeMs', 'TransactionDurationMs', 'TopicPartitions'],
        [String(t.coordinator), t.transactionalId, String(t.producerId), String(t.producerEpoch), t.transactionState, String(t.transactionTimeoutMs),
          started ? String(t.transactionStartTimeMs) : NONE, started ? String(Date.now() - t.transactionStartTimeMs) : NONE, partitions === '' ? NONE : partitions],
      ]));
    }));
}
