/**
 * Running the external clients used by the compatibility tests: kcat (librdkafka) and
 * confluent-kafka-python (Debian's /usr/bin/python3, not the python3 first on PATH).
 * Every run has a time limit; a run that exceeds it is killed and reported as failed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const PYTHON = '/usr/bin/python3';
export const KCAT = 'kcat';
export const PYTHON_DIR = path.join(import.meta.dirname, '..', 'python');
const RUN_TIMEOUT_MS_DEFAULT = 60_000;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  input?: Buffer | string;
  timeoutMs?: number;
}

export function run(command: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? RUN_TIMEOUT_MS_DEFAULT);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** Fails with the process's stderr when it did not exit 0. */
export function assertSuccess(what: string, r: RunResult): void {
  if (r.code !== 0) {
    const tail = r.stderr.split('\n').slice(-40).join('\n');
    throw new Error(`${what} exited ${r.code ?? r.signal}:\n${tail}\nstdout: ${r.stdout.toString('utf8').slice(-2000)}`);
  }
}

/**
 * Runs test/compat/python/<script> with the bootstrap address as first argument. The
 * script does its own checks (exit code != 0 with a message on failure) and prints one
 * JSON summary object as its last stdout line, which this returns.
 */
export async function runPython(script: string, args: string[], opts: RunOptions = {}): Promise<Record<string, unknown>> {
  // -B: no __pycache__ next to the scripts.
  const r = await run(PYTHON, ['-B', path.join(PYTHON_DIR, script), ...args], opts);
  assertSuccess(`python ${script}`, r);
  const lines = r.stdout.toString('utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>;
}

export async function kcat(args: string[], opts: RunOptions = {}): Promise<Buffer> {
  const r = await run(KCAT, args, opts);
  assertSuccess(`kcat ${args.join(' ')}`, r);
  return r.stdout;
}

export interface StreamedRun {
  /** Resolves when the process exits, with everything it wrote. */
  exited: Promise<RunResult>;
  kill(): void;
}

/**
 * Runs test/compat/python/<script> and calls `onLine` for each stdout line as it
 * arrives (for tests that act while the client is still running).
 */
export function streamPython(script: string, args: string[], onLine: (line: string) => void, timeoutMs = RUN_TIMEOUT_MS_DEFAULT): StreamedRun {
  const child = spawn(PYTHON, ['-B', path.join(PYTHON_DIR, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let partial = '';
  child.stdout.on('data', (b: Buffer) => {
    out.push(b);
    const lines = (partial + b.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) onLine(l);
  });
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (partial !== '') onLine(partial);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
  return { exited, kill: () => child.kill('SIGKILL') };
}
