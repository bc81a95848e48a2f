// Fallback launcher used by the bench only while src/cli/main.ts does not exist yet:
// runs one broker through the programmatic startBroker (src/broker.ts) with the same
// `--set key=value` arguments the CLI takes, and stops it on SIGTERM/SIGINT.
// Usage: gregor-child.ts start --set log.dirs=DIR --set listeners=PLAINTEXT://127.0.0.1:PORT ...
import { startBroker } from '../src/broker.ts';

const config: Record<string, string> = {};
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] !== '--set') continue;
  const pair = args[++i] ?? '';
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new Error(`--set wants key=value, got ${pair}`);
  config[pair.slice(0, eq)] = pair.slice(eq + 1);
}

const broker = await startBroker({ config });
const stop = (): void => {
  broker.stop().then(() => process.exit(0), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
