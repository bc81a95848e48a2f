/**
 * An in-process Gregor broker for the compatibility tests: 127.0.0.1, an ephemeral port,
 * a fresh temp log dir (removed on stop), warnings and errors logged to stderr so a
 * failing test shows what the broker complained about. The caller stops it (in `after`).
 */
import { startBroker, type RunningBroker } from '../../../src/broker.ts';
import { createLogger } from '../../../src/logger.ts';

export function startCompatBroker(config: Record<string, string> = {}): Promise<RunningBroker> {
  return startBroker({
    config: { listeners: 'PLAINTEXT://127.0.0.1:0', ...config },
    logger: createLogger({ level: 'warn', destination: process.stderr }),
  });
}
