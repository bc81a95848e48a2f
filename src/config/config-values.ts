/**
 * Parsing of config strings into typed values (Kafka's ConfigDef.parseType rules) and the
 * validators the definition tables use (ranges, enumerations, lists).
 *
 * LONG values are parsed exactly with BigInt and then converted to number; anything above
 * Number.MAX_SAFE_INTEGER (e.g. Long.MAX_VALUE, Kafka's "never") becomes
 * LONG_MAX_AS_NUMBER. See log-config.ts for that limitation.
 */
import { ConfigError } from './config-error.ts';
import type { ConfigDef, ConfigType, ConfigValue, Validator } from './config-types.ts';
import { LONG_MAX_AS_NUMBER } from './log-config.ts';

const INTEGER_PATTERN = /^[+-]?\d+$/;
const DOUBLE_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const INTEGER_BOUNDS: Partial<Record<ConfigType, readonly [bigint, bigint]>> = {
  SHORT: [-(2n ** 15n), 2n ** 15n - 1n],
  INT: [-(2n ** 31n), 2n ** 31n - 1n],
  LONG: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** Parses `raw` per the definition's type and (unless told not to) runs its validator; throws ConfigError. */
export function parseConfigValue(def: ConfigDef, raw: string, validate = true): ConfigValue {
  const value = parseType(def.name, def.type, raw);
  const problem = validate ? (def.validator?.(value) ?? null) : null;
  if (problem !== null) {
    throw new ConfigError(def.name, `value '${raw}' ${problem}`);
  }
  return value;
}

function parseType(key: string, type: ConfigType, raw: string): ConfigValue {
  const text = raw.trim();
  switch (type) {
    case 'BOOLEAN':
      return parseBoolean(key, text);
    case 'SHORT':
    case 'INT':
    case 'LONG':
      return parseInteger(key, type, text);
    case 'DOUBLE':
      if (!DOUBLE_PATTERN.test(text)) throw new ConfigError(key, `expected a number, got '${raw}'`);
      return Number(text);
    case 'LIST':
      return text === '' ? [] : text.split(',').map((item) => item.trim()).filter((item) => item !== '');
    case 'STRING':
    case 'CLASS':
      return text;
    case 'PASSWORD':
      return raw;
  }
}

function parseBoolean(key: string, text: string): boolean {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new ConfigError(key, `expected true or false, got '${text}'`);
}

function parseInteger(key: string, type: ConfigType, text: string): number {
  if (!INTEGER_PATTERN.test(text)) {
    throw new ConfigError(key, `expected an integer (${type}), got '${text}'`);
  }
  const big = BigInt(text);
  const [min, max] = INTEGER_BOUNDS[type] ?? [0n, 0n];
  if (big < min || big > max) {
    throw new ConfigError(key, `value ${text} is out of range for type ${type} [${min}, ${max}]`);
  }
  if (big > BigInt(LONG_MAX_AS_NUMBER)) return LONG_MAX_AS_NUMBER;
  if (big < -BigInt(LONG_MAX_AS_NUMBER)) return -LONG_MAX_AS_NUMBER;
  return Number(big);
}

/** Value must be a number >= min. */
export function atLeast(min: number): Validator {
  return (value) => (typeof value === 'number' && value >= min ? null : `must be at least ${min}`);
}

/** Value must be a number in [min, max]. */
export function between(min: number, max: number): Validator {
  return (value) =>
    typeof value === 'number' && value >= min && value <= max ? null : `must be in [${min}, ${max}]`;
}

/** Value must be exactly one of `allowed` (case-sensitive, as Kafka's ValidString). */
export function oneOf(allowed: readonly string[]): Validator {
  const set = new Set(allowed);
  return (value) => (typeof value === 'string' && set.has(value) ? null : `must be one of [${allowed.join(', ')}]`);
}

/** Every list element must be one of `allowed`; duplicates are rejected. */
export function listOf(allowed: readonly string[]): Validator {
  const set = new Set(allowed);
  return (value) => {
    if (!Array.isArray(value)) return 'must be a list';
    const bad = value.find((item) => !set.has(item));
    if (bad !== undefined) return `contains '${bad}'; allowed values are [${allowed.join(', ')}]`;
    if (new Set(value).size !== value.length) return 'contains duplicate entries';
    return null;
  };
}
