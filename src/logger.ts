/**
 * Logging. One pino root logger per broker process, created by `createLogger`; every
 * component takes a child (`componentLogger(root, 'server')`) so each line names who wrote
 * it. Default output is one JSON object per line on stdout (what log shippers expect);
 * `pretty: true` (the default when stdout is a terminal) writes short human-readable
 * lines instead. Levels can differ per component: `componentLevels: { storage: 'debug' }`
 * (from the CLI: `--log-level info,storage=debug`); a component named `listener-X` also
 * matches the key `listener`.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LoggerOptions {
  level?: LogLevel;
  /** Human-readable lines instead of JSON; default: when writing to a terminal stdout. */
  pretty?: boolean;
  /** Levels for some components (by component name, or its prefix before '-'). */
  componentLevels?: Readonly<Record<string, LogLevel>>;
  /** Where lines go; stdout when absent. Tests pass a collecting stream. */
  destination?: DestinationStream;
}

/** Creates the root logger of a process. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const out = opts.destination ?? process.stdout;
  const pretty = opts.pretty ?? (opts.destination === undefined && process.stdout.isTTY === true);
  const destination = pretty ? prettyStream(out) : out;
  const root = pino({ level: opts.level ?? 'info', base: { pid: process.pid } }, destination);
  if (opts.componentLevels !== undefined) componentLevelsByRoot.set(root, opts.componentLevels);
  return root;
}

/** Per-component levels of each root logger made by createLogger. */
const componentLevelsByRoot = new WeakMap<Logger, Readonly<Record<string, LogLevel>>>();

/** A child logger whose lines carry `component`, at that component's level if one is set. */
export function componentLogger(parent: Logger, component: string): Logger {
  const levels = componentLevelsByRoot.get(parent);
  const level = levels?.[component] ?? levels?.[component.split('-')[0]];
  const child = level === undefined ? parent.child({ component }) : parent.child({ component }, { level });
  if (levels !== undefined) componentLevelsByRoot.set(child, levels);
  return child;
}

/**
 * Parses `info` or `info,storage=debug,listener=warn` (the CLI's --log-level) into a root
 * level and component levels; throws naming the bad part.
 */
export function parseLogLevels(text: string): { level: LogLevel; componentLevels: Record<string, LogLevel> } {
  let level: LogLevel = 'info';
  const componentLevels: Record<string, LogLevel> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [name, value] = part.includes('=') ? part.split('=', 2) : [null, part];
    const parsed = LOG_LEVELS.find((l) => l === value);
    if (parsed === undefined) throw new Error(`'${part}': the level must be one of ${LOG_LEVELS.join(', ')}`);
    if (name === null) level = parsed;
    else componentLevels[name] = parsed;
  }
  return { level, componentLevels };
}

/** How often logWhileWaiting repeats its line. */
export const WAITING_LOG_INTERVAL_MS = 5_000;

/**
 * Logs `msg` with the elapsed seconds every WAITING_LOG_INTERVAL_MS until stop(), so a
 * long start-up phase (log recovery) shows it is still making progress.
 */
export function logWhileWaiting(logger: Logger, msg: string, intervalMs = WAITING_LOG_INTERVAL_MS): { stop(): void } {
  const startedMs = performance.now();
  const timer = setInterval(() => {
    logger.info({ elapsedS: Math.round((performance.now() - startedMs) / 1000) }, msg);
  }, intervalMs).unref();
  return { stop: () => clearInterval(timer) };
}

/** A logger that writes nothing; the default where a logger is optional. */
export const silentLogger: Logger = pino({ level: 'silent' });

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL',
};

/** Fields of a pino line that the pretty format prints in fixed places (or drops). */
const FIXED_FIELDS = new Set(['level', 'time', 'msg', 'component', 'pid', 'hostname']);

/**
 * Rewrites pino's JSON lines as `time LEVEL [component] msg key=value ...`. Parsing each
 * line again costs time, which is why this is only for terminals, never the default.
 */
function prettyStream(out: DestinationStream): DestinationStream {
  return {
    write(line: string): void {
      const entry = JSON.parse(line) as Record<string, unknown>;
      const time = new Date(Number(entry.time)).toISOString();
      const level = LEVEL_NAMES[Number(entry.level)] ?? String(entry.level);
      const component = entry.component === undefined ? '' : ` [${String(entry.component)}]`;
      const extras = Object.entries(entry)
        .filter(([key]) => !FIXED_FIELDS.has(key))
        .map(([key, value]) => ` ${key}=${JSON.stringify(value)}`)
        .join('');
      out.write(`${time} ${level}${component} ${String(entry.msg ?? '')}${extras}\n`);
    },
  };
}
