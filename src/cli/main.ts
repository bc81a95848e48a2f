/**
 * The `gregor` command (program.ts builds the command tree): runs it on argv.
 *
 * Exit codes: 0 success, 1 a failed command (the error is printed as `gregor: ...`,
 * with Kafka's error name when a broker answered with one, and a hint saying what to do
 * when there is one), 2 invalid configuration.
 */
import { hintFor } from './error-hints.ts';
import { buildProgram } from './program.ts';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  const hint = hintFor(err);
  process.stderr.write(`gregor: ${(err as Error).message}\n${hint === null ? '' : `  hint: ${hint}\n`}`);
  process.exitCode = 1;
}
