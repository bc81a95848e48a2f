/**
 * Runs the `gregor` CLI as a child process (the Node running the tests, on
 * src/cli/main.ts) and collects its exit code and output. Always asynchronously: the
 * test broker runs in the test's own process and must keep serving meanwhile. A run that does not finish
 * within `killAfterMs` is killed, so a hanging command fails its test instead of the
 * suite.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = 'src/cli/main.ts';
const KILL_AFTER_MS_DEFAULT = 60_000;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI without waiting for it (for `start`, which runs until signalled). */
export function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Waits for the child to exit and returns what it printed. */
export async function collect(child: ChildProcess, killAfterMs = KILL_AFTER_MS_DEFAULT): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  return { code, signal, stdout, stderr };
}

/** Runs the CLI to completion with `stdin` as its input. */
export function runCli(args: string[], stdin = '', killAfterMs?: number): Promise<CliResult> {
  const child = spawnCli(args);
  child.stdin?.end(stdin);
  return collect(child, killAfterMs);
}

/** Runs another program (e.g. kcat) the same way, without blocking the test's event loop. */
export function runProgram(file: string, args: string[], stdin = ''): Promise<CliResult> {
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(stdin);
  return collect(child);
}
