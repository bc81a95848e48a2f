/**
 * ConfigError: a configuration key was unknown or its value invalid. The message always
 * names the key and says what is wrong, so a start-up failure or an INVALID_CONFIG reply
 * tells the operator exactly what to fix.
 */
export class ConfigError extends Error {
  /** The offending configuration key. */
  readonly key: string;

  constructor(key: string, problem: string) {
    super(`Invalid configuration '${key}': ${problem}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}
