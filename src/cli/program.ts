/**
 * The `gregor` command tree: `start` runs a broker; `topics`, `produce`, `consume`,
 * `groups`, `configs` and `transactions` are small Kafka clients (like kafka-topics,
 * kafka-console-producer/-consumer, kafka-consumer-groups, kafka-configs,
 * kafka-transactions). Built here, run by main.ts, inspected by the help tests.
 */
import { Command } from 'commander';
import { registerConfigs } from './commands/configs.ts';
import { registerConsume } from './commands/consume.ts';
import { registerGroups } from './commands/groups.ts';
import { registerProduce } from './commands/produce.ts';
import { registerStart } from './commands/start.ts';
import { registerTopics } from './commands/topics.ts';
import { registerTransactions } from './commands/transactions.ts';
import { addExamples } from './help-examples.ts';

export function buildProgram(): Command {
  const program = new Command('gregor')
    .description('An event streaming platform that speaks the Apache Kafka wire protocol')
    .showHelpAfterError();
  registerStart(program);
  registerTopics(program);
  registerProduce(program);
  registerConsume(program);
  registerGroups(program);
  registerConfigs(program);
  registerTransactions(program);
  addExamples(program);
  return program;
}
