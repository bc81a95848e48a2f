/**
 * The logging surface storage needs. A pino Logger satisfies it; tests may pass nothing.
 */
export interface StorageLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: StorageLogger = { info() {}, warn() {}, error() {} };
