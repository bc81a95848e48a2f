// Child-process and /proc helpers for the benchmark: run a command to completion,
// start a long-lived one, and read a process's CPU time and peak RSS from /proc.
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command to completion; after timeoutMs it gets SIGINT, 5 s later SIGKILL. */
export function run(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  return collect(child, opts.timeoutMs);
}

/** Collects a started child's output until it exits (same timeout policy as run). */
export function collect(child: ChildProcess, timeoutMs: number): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** Runs and throws with the command's stderr when it fails. */
export async function runChecked(cmd: string, args: string[], opts: RunOptions): Promise<string> {
  const result = await run(cmd, args, opts);
  if (result.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (code ${result.code}):\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}

/**
 * Spawns a process pinned to one CPU core with taskset, under `nice -n $BENCH_NICE` when that
 * is set (on a shared machine, a negative value keeps other work from skewing the figures).
 * nice and taskset exec, so the pid is the program's.
 */
export function spawnPinned(core: number, cmd: string, args: string[], opts: SpawnOptions): ChildProcess {
  const pinned = ['taskset', '-c', String(core), cmd, ...args];
  const nice = process.env.BENCH_NICE;
  if (nice !== undefined && nice !== '' && !/^-?\d+$/.test(nice)) throw new Error(`BENCH_NICE must be an integer, got ${nice}`);
  const child = nice ? spawn('nice', ['-n', nice, ...pinned], opts) : spawn(pinned[0], pinned.slice(1), opts);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Children still running; killed if the bench exits early (crash, closed stdout), so no broker is left behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Stops a child: SIGTERM, then SIGKILL if it has not exited after graceMs. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

let clockTicksPerSecond = 0;

/** CPU seconds (user + system) a live process has used so far, from /proc/<pid>/stat. */
export async function cpuSeconds(pid: number): Promise<number> {
  return statCpuSeconds(await readFile(`/proc/${pid}/stat`, 'utf8'));
}

/**
 * CPU seconds per thread name (/proc/<pid>/task/<tid>/comm, e.g. Node's "MainThread",
 * "V8Worker", "libuv-worker"), summed over the threads that share a name.
 */
export async function cpuSecondsByThread(pid: number): Promise<Map<string, number>> {
  const byName = new Map<string, number>();
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    try {
      const [comm, stat] = await Promise.all([
        readFile(`/proc/${pid}/task/${tid}/comm`, 'utf8'),
        readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8'),
      ]);
      const name = comm.trim();
      byName.set(name, (byName.get(name) ?? 0) + (await statCpuSeconds(stat)));
    } catch {
      // the thread ended between readdir and read: its time is gone from the per-thread view
    }
  }
  return byName;
}

async function statCpuSeconds(stat: string): Promise<number> {
  if (clockTicksPerSecond === 0) {
    const out = await runChecked('getconf', ['CLK_TCK'], { timeoutMs: 5000 });
    clockTicksPerSecond = Number(out.trim());
  }
  // Fields after "(comm)": state is field 3, utime 14, stime 15 (1-based, proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  return (utime + stime) / clockTicksPerSecond;
}

/** Peak resident set size (VmHWM) of a live process, in bytes. */
export async function peakRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`no VmHWM for pid ${pid}`);
  return Number(match[1]) * 1024;
}
