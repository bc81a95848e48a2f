/**
 * `gregor start`: runs one broker in this process until SIGTERM or SIGINT.
 *
 * Config is layered like Kafka's tools: CLI defaults (Kafka's listener PLAINTEXT://:9092
 * and log dir /tmp/kafka-logs, so data survives restarts), then the properties file,
 * then each --set in order (later wins). A configuration error prints
 * `gregor: invalid configuration: <message naming the key>` and exits 2.
 *
 * The first signal stops the broker gracefully (listeners stop accepting, in-flight
 * requests finish, logs are flushed and the clean-shutdown marker written), then the
 * process exits 0; a second signal while stopping exits at once with code 1.
 */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { BrokerConfig } from '../../config/broker-config.ts';
import { ConfigError } from '../../config/config-error.ts';
import { parseOverrides } from '../../config/load-broker-config.ts';
import { parseProperties } from '../../config/properties.ts';
import { createLogger, parseLogLevels } from '../../logger.ts';
import type { LogLevel, Logger } from '../../logger.ts';
import { collect } from '../options.ts';

/** What `gregor start` uses when neither the file nor --set says otherwise (Kafka's defaults). */
export const START_DEFAULTS: Readonly<Record<string, string>> = {
  listeners: 'PLAINTEXT://:9092',
  'log.dir': '/tmp/kafka-logs',
};

const EXIT_INVALID_CONFIG = 2;

interface StartOptions {
  config?: string;
  set: string[];
  pretty?: boolean;
  logLevel: { level: LogLevel; componentLevels: Record<string, LogLevel> };
}

export function registerStart(program: Command): void {
  program.command('start')
    .description('run a broker until SIGTERM/SIGINT (Kafka on :9092, metrics/console on 127.0.0.1:8080)')
    .option('--config <file>', 'server.properties file (Kafka\'s format and key names)')
    .option('--set <key=value>', 'set a config key (repeatable; later wins over earlier and over the file)', collect, [])
    .option('--pretty', 'human-readable log lines instead of JSON (the default on a terminal)')
    .option('--log-level <levels>', 'level, optionally per component: info,storage=debug,listener=warn', logLevelsOption,
      parseLogLevels('info'))
    .addHelpText('after', `
Examples:
  $ gregor start                                         # quick start: data in /tmp/kafka-logs
  $ gregor start --set log.dirs=./data --set num.partitions=3
  $ gregor start --config server.properties --set listeners=PLAINTEXT://0.0.0.0:9092
  $ gregor start --set http.listener=0.0.0.0:9644        # metrics and console on another address
  $ gregor start --set http.listener=                    # no admin HTTP
  $ gregor start --log-level info,listener=debug         # log every request at debug

Endpoints: Kafka clients bootstrap from the first listener; http.listener serves
/metrics (Prometheus), /health, /ready, /api (JSON) and the web console.`)
    .action((opts: StartOptions) => runStart(opts));
}

/** The layered config map; throws ConfigError for a malformed --set. */
export async function buildConfigMap(configFile: string | undefined, sets: readonly string[]): Promise<Record<string, string>> {
  const fromFile = configFile === undefined ? new Map<string, string>() : parseProperties(await readConfigFile(configFile));
  return { ...START_DEFAULTS, ...Object.fromEntries(fromFile), ...Object.fromEntries(parseOverrides(sets)) };
}

async function readConfigFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError('--config', `cannot read ${path}: ${(err as Error).message}`);
  }
}

async function runStart(opts: StartOptions): Promise<void> {
  const logger = createLogger({ ...opts.logLevel, pretty: opts.pretty });
  let config: Record<string, string>;
  try {
    config = await buildConfigMap(opts.config, opts.set);
    BrokerConfig.from(config); // validated before anything starts; the broker builds its own
  } catch (err) {
    if (err instanceof ConfigError) return exitInvalidConfig(err);
    throw err;
  }
  // Loaded here, not at the top, so client commands do not load the whole broker.
  const { startBroker } = await import('../../broker.ts');
  const stopRequested = waitForSignal(logger);
  const broker = await startBroker({ config, logger, embedded: false }).catch((err: unknown) => {
    if (err instanceof ConfigError) return exitInvalidConfig(err);
    throw err;
  });
  if (broker === undefined) return;
  process.stderr.write(startBanner(broker.config.nodeId, broker.bootstrap, broker.httpUrl));
  await stopRequested;
  await broker.stop();
  process.exit(0);
}

/** Where everything listens, for the person who just ran `gregor start` (stderr: stdout carries the logs). */
export function startBanner(nodeId: number, bootstrap: string, httpUrl: string | null): string {
  const http = httpUrl === null
    ? ['  Console/metrics:  off (http.listener is empty, or its default address was taken; set http.listener=host:port)']
    : [`  Console:          ${httpUrl}/`, `  Metrics:          ${httpUrl}/metrics`, `  Health:           ${httpUrl}/health, ${httpUrl}/ready`];
  return [`Gregor broker ${nodeId} is up.`, `  Kafka bootstrap:  ${bootstrap}`, ...http, '  Stop with Ctrl-C (SIGINT) or SIGTERM.', ''].join('\n');
}

function exitInvalidConfig(err: ConfigError): undefined {
  // ConfigError's message already starts "Invalid configuration 'key': ..."; say it once.
  const detail = err.message.replace(/^Invalid configuration /, '');
  process.stderr.write(`gregor: invalid configuration: ${detail}\n`);
  process.exit(EXIT_INVALID_CONFIG);
}

function logLevelsOption(value: string): { level: LogLevel; componentLevels: Record<string, LogLevel> } {
  try {
    return parseLogLevels(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** Resolves on the first SIGTERM/SIGINT; a second one exits immediately. */
function waitForSignal(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) {
        logger.warn({ signal }, 'second signal while stopping; exiting now');
        process.exit(1);
      }
      received = true;
      logger.info({ signal }, 'signal received; stopping');
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
