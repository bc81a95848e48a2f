/**
 * The `gregor` command: `start` runs a broker; `topics`, `produce`, `consume`, `groups`
 * and `configs` are small Kafka clients (like kafka-topics, kafka-console-producer/-consumer,
 * kafka-consumer-groups, kafka-configs).
 *
 * Exit codes: 0 success, 1 a failed command (the error is printed as `gregor: ...`,
 * with Kafka's error name when a broker answered with one), 2 invalid configuration.
 */
import { Command } from 'commander';
import { registerConfigs } from './commands/configs.ts';
import { registerConsume } from './commands/consume.ts';
import { registerGroups } from './commands/groups.ts';
import { registerProduce } from './commands/produce.ts';
import { registerStart } from './commands/start.ts';
import { registerTopics } from './commands/topics.ts';
import { registerTransactions } from './commands/transactions.ts';
import { hintFor } from './error-hints.ts';
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

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  const hint = hintFor(err);
  process.stderr.write(`gregor: ${(err as Error).message}\n${hint === null ? '' : `  hint: ${hint}\n`}`);
  process.exitCode = 1;
}
