/**
 * Small constructor for ConfigDef records, so the definition tables read as one line per
 * key: name, type, default (as Kafka renders it), validator, documentation.
 */
import type { ConfigDef, ConfigType, Validator } from './config-types.ts';

export interface DefineOptions {
  readonly sensitive?: boolean;
  readonly unused?: boolean;
}

export function define(
  name: string,
  type: ConfigType,
  defaultValue: string | null,
  validator: Validator | undefined,
  doc: string,
  options: DefineOptions = {},
): ConfigDef {
  return Object.freeze({ name, type, defaultValue, validator, doc, ...options });
}

/** Kafka's Long.MAX_VALUE as it appears in config defaults. */
export const LONG_MAX = '9223372036854775807';
/** Kafka's Integer.MAX_VALUE as it appears in config defaults. */
export const INT_MAX = '2147483647';
