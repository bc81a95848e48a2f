/**
 * Shared test helpers: a real broker on 127.0.0.1 with an ephemeral port, a fresh temp
 * log dir and a silent logger. `startTestBroker` leaves stopping (and the dir) to the
 * caller; `withTestBroker` always stops it and removes the dir, even when `fn` throws.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '../../src/broker.ts';
import type { RunningBroker } from '../../src/broker.ts';
import type { Clock } from '../../src/clock.ts';
import { silentLogger } from '../../src/logger.ts';
import type { Logger } from '../../src/logger.ts';

export interface TestBrokerOptions {
  logger?: Logger;
  clock?: Clock;
}

export interface TestBroker extends RunningBroker {
  /** The broker's (only) log dir. */
  readonly logDir: string;
  /** Stops the broker and removes its log dir. */
  stopAndRemove(): Promise<void>;
}

/**
 * Starts a broker on 127.0.0.1:0. `config` overrides the test defaults; pass `log.dirs`
 * to reuse a dir (e.g. to restart a broker on the same data).
 */
export async function startTestBroker(config: Record<string, string> = {}, opts: TestBrokerOptions = {}): Promise<TestBroker> {
  const ownDir = config['log.dirs'] === undefined;
  const logDir = config['log.dirs'] ?? (await mkdtemp(join(tmpdir(), 'gregor-test-')));
  let broker: RunningBroker;
  try {
    broker = await startBroker({
      config: { listeners: 'PLAINTEXT://127.0.0.1:0', ...config, 'log.dirs': logDir },
      logger: opts.logger ?? silentLogger,
      clock: opts.clock,
    });
  } catch (err) {
    if (ownDir) await rm(logDir, { recursive: true, force: true });
    throw err;
  }
  return Object.assign(broker, {
    logDir,
    async stopAndRemove(): Promise<void> {
      await broker.stop();
      await rm(logDir, { recursive: true, force: true });
    },
  });
}

/** Runs `fn` against a fresh test broker; stops it and removes its dir afterwards. */
export async function withTestBroker<T>(
  config: Record<string, string>,
  fn: (broker: TestBroker) => Promise<T>,
  opts: TestBrokerOptions = {},
): Promise<T> {
  const broker = await startTestBroker(config, opts);
  try {
    return await fn(broker);
  } finally {
    await broker.stopAndRemove();
  }
}
