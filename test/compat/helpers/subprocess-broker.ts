/**
 * A Gregor broker run as a child process through the CLI (`src/cli/main.ts start`), for
 * tests that must kill it (kill -9) and restart it on the same log dir. The listener port
 * is chosen once and kept across restarts so clients can reconnect.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const CLI = path.join(import.meta.dirname, '..', '..', '..', 'src', 'cli', 'main.ts');
const START_TIMEOUT_MS = 30_000;
const PORT_POLL_MS = 50;
const STOP_TIMEOUT_MS = 15_000;
const LOG_TAIL_CHARS = 8_000;

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Resolves when something accepts connections on the port; fails if `alive()` turns false. */
export async function waitForPort(port: number, alive: () => boolean, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await tryConnect(port))) {
    if (!alive()) throw new Error(`process exited before port ${port} opened`);
    if (Date.now() > deadline) throw new Error(`port ${port} not open after ${timeoutMs} ms`);
    await sleep(PORT_POLL_MS);
  }
}

export class SubprocessBroker {
  readonly logDir: string;
  readonly port: number;
  readonly config: Record<string, string>;
  #child: ChildProcess | null = null;
  #exited: Promise<void> = Promise.resolve();
  #output = '';

  private constructor(logDir: string, port: number, config: Record<string, string>) {
    this.logDir = logDir;
    this.port = port;
    this.config = config;
  }

  static async start(config: Record<string, string> = {}): Promise<SubprocessBroker> {
    const logDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gregor-compat-'));
    const broker = new SubprocessBroker(logDir, await freePort(), config);
    await broker.restart();
    return broker;
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The last part of the broker's stdout/stderr, for failure messages. */
  get output(): string {
    return this.#output;
  }

  /** Starts the process (again) on the same log dir and port; resolves once it listens. */
  async restart(): Promise<void> {
    const settings = {
      'log.dirs': this.logDir,
      listeners: `PLAINTEXT://127.0.0.1:${this.port}`,
      ...this.config,
    };
    const args = [CLI, 'start', ...Object.entries(settings).flatMap(([k, v]) => ['--set', `${k}=${v}`])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (b: Buffer): void => {
      this.#output = (this.#output + b.toString('utf8')).slice(-LOG_TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let alive = true;
    this.#exited = new Promise((resolve) => child.once('exit', () => {
      alive = false;
      resolve();
    }));
    this.#child = child;
    try {
      await waitForPort(this.port, () => alive);
    } catch (e) {
      throw new Error(`${(e as Error).message}\nbroker output:\n${this.#output}`);
    }
  }

  /** kill -9: no shutdown hooks, no flush. */
  async kill9(): Promise<void> {
    this.#child?.kill('SIGKILL');
    await this.#exited;
    this.#child = null;
  }

  /** Graceful stop (SIGTERM), falling back to SIGKILL. */
  async stop(): Promise<void> {
    if (this.#child === null) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child?.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.#exited;
    clearTimeout(timer);
    this.#child = null;
  }

  async destroy(): Promise<void> {
    await this.kill9();
    await fs.rm(this.logDir, { recursive: true, force: true });
  }
}
