/**
 * Logging. One pino root logger per broker process, created by `createLogger`; every
 * component takes a child (`componentLogger(root, 'server')`) so each line names who wrote
 * it. Default output is one JSON object per line on stdout (what log shippers expect);
 * `pretty: true` writes short human-readable lines instead, for a terminal.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerOptions {
  level?: LogLevel;
  /** Human-readable lines instead of JSON. */
  pretty?: boolean;
  /** Where lines go; stdout when absent. Tests pass a collecting stream. */
  destination?: DestinationStream;
}

/** Creates the root logger of a process. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const out = opts.destination ?? process.stdout;
  const destination = opts.pretty === true ? prettyStream(out) : out;
  return pino({ level: opts.level ?? 'info', base: { pid: process.pid } }, destination);
}

/** A child logger whose lines carry `component`. */
export function componentLogger(parent: Logger, component: string): Logger {
  return parent.child({ component });
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
