/**
 * Every `gregor` command's --help ends with examples, and every example uses only options
 * that command has (so examples cannot drift from the options). Error hints: a refused
 * connection and common Kafka errors say what to do.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { ConnectionError, KafkaResponseError } from '../../src/cli/client/kafka-error.ts';
import { hintFor } from '../../src/cli/error-hints.ts';
import { allCommands, commandPath, EXAMPLES } from '../../src/cli/help-examples.ts';
import { buildProgram as program } from '../../src/cli/program.ts';
import { ErrorCode } from '../../src/protocol/errors.ts';

function helpOf(command: Command): string {
  let out = '';
  command.configureOutput({ writeOut: (s) => (out += s) });
  command.outputHelp();
  return out;
}

it('every command\'s help ends with examples', () => {
  for (const command of allCommands(program())) {
    assert.match(helpOf(command), /\nExamples:\n {2}\$ .*gregor/, `'gregor ${commandPath(command)}' --help has no examples`);
  }
});

it('examples use only options their command has', () => {
  const byPath = new Map(allCommands(program()).map((c) => [commandPath(c), c]));
  for (const [path, examples] of Object.entries(EXAMPLES)) {
    assert.ok(byPath.has(path), `examples for unknown command '${path}'`);
    for (const example of examples) {
      const words = example.replace(/#.*$/, '').split(/\s+/);
      const at = words.indexOf('gregor');
      // Walk from the program down the example's command words to the command it runs.
      let target = byPath.get('') as Command;
      for (const word of words.slice(at + 1)) {
        const child = target.commands.find((c) => c.name() === word);
        if (child === undefined) break;
        target = child;
      }
      for (const flag of words.filter((w) => w.startsWith('--'))) {
        const name = flag.split('=')[0];
        const known = name === '--help' || target.options.some((o) => o.long === name);
        assert.ok(known, `'${example}': gregor ${commandPath(target)} has no option ${name}`);
      }
    }
  }
});

it('says what to do about common failures', () => {
  assert.match(hintFor(new ConnectionError('cannot connect to 127.0.0.1:9092: connect ECONNREFUSED')) ?? '', /gregor start/);
  assert.match(hintFor(new KafkaResponseError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'describe topic')) ?? '', /gregor topics list/);
  assert.match(hintFor(new KafkaResponseError(ErrorCode.NON_EMPTY_GROUP, 'delete group')) ?? '', /consumers/);
  assert.equal(hintFor(new Error('something else')), null);
});
