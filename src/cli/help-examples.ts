/**
 * Examples shown at the end of every command's --help, keyed by the command's path
 * ("topics create"). `addExamples` attaches them to the whole command tree; a test checks
 * that every command has some, so a new command comes with its examples.
 */
import type { Command } from 'commander';

export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  '': [
    'gregor start                                    # a broker on :9092, console on http://127.0.0.1:8080',
    'gregor topics create orders --partitions 6',
    "echo 'k1:hello' | gregor produce orders --key-separator :",
    'gregor consume orders --from-beginning --print-key',
    'gregor <command> --help                         # more examples per command',
  ],
  start: [], // start has its own, longer text (start.ts)
  topics: ['gregor topics list', 'gregor topics describe orders', 'gregor topics create orders --partitions 6'],
  'topics create': [
    'gregor topics create orders',
    'gregor topics create orders --partitions 6 --config retention.ms=86400000',
    'gregor topics create compacted --config cleanup.policy=compact --bootstrap-server broker1:9092',
  ],
  'topics list': ['gregor topics list', 'gregor topics list --bootstrap-server broker1:9092'],
  'topics describe': ['gregor topics describe            # every topic', 'gregor topics describe orders'],
  'topics delete': ['gregor topics delete orders'],
  'topics delete-records': ['gregor topics delete-records orders --partition 0 --offset 1000   # records below 1000 go'],
  produce: [
    "echo 'hello' | gregor produce orders",
    "printf 'k1:v1\\nk2:v2\\n' | gregor produce orders --key-separator :",
    'gregor produce orders --partition 2 --header source=cli < lines.txt',
  ],
  consume: [
    'gregor consume orders --from-beginning',
    'gregor consume orders --partition 0 --offset 42 --max-messages 10 --print-offset',
    'gregor consume orders --timestamp 1735689600000 --print-timestamp --print-key',
  ],
  groups: ['gregor groups list', 'gregor groups describe my-app'],
  'groups list': ['gregor groups list'],
  'groups describe': ['gregor groups describe my-app      # offsets, lag and members'],
  'groups delete': ['gregor groups delete my-app        # the group must have no members'],
  'groups reset-offsets': [
    'gregor groups reset-offsets my-app --topic orders --to-earliest              # dry run',
    'gregor groups reset-offsets my-app --topic orders:0,1 --to-offset 100 --execute',
    'gregor groups reset-offsets my-app --topic orders --by-duration PT1H --execute',
  ],
  configs: ['gregor configs describe --topic orders', 'gregor configs alter --topic orders --set retention.ms=3600000'],
  'configs describe': ['gregor configs describe --topic orders --all', 'gregor configs describe --broker 1', 'gregor configs describe --broker-defaults'],
  'configs alter': [
    'gregor configs alter --topic orders --set retention.ms=3600000 --set cleanup.policy=compact',
    'gregor configs alter --topic orders --delete retention.ms',
    'gregor configs alter --broker-defaults --set log.retention.ms=604800000',
  ],
  transactions: ['gregor transactions list', 'gregor transactions describe payments-tx'],
  'transactions list': ['gregor transactions list', 'gregor transactions list --bootstrap-server broker1:9092'],
  'transactions describe': ['gregor transactions describe payments-tx   # state, producer, partitions in the open transaction'],
};

/** The command's path below the program ("topics create"; "" for the program). */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent != null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export function allCommands(root: Command): Command[] {
  return [root, ...root.commands.flatMap((c) => allCommands(c))];
}

export function addExamples(program: Command): void {
  for (const command of allCommands(program)) {
    const examples = EXAMPLES[commandPath(command)];
    if (examples === undefined || examples.length === 0) continue;
    command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  }
}
