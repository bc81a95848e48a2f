/**
 * Shared vocabulary for config definitions: value types, DescribeConfigs enums and the
 * definition record that broker and topic config tables are made of.
 *
 * Numeric ids are those of Kafka's DescribeConfigsResponse (ConfigSource, ConfigType).
 */

/** Kafka's config value types (ConfigDef.Type). */
export type ConfigType =
  | 'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST' | 'CLASS' | 'PASSWORD';

/** DescribeConfigsResponse ConfigType ids. */
export const CONFIG_TYPE_ID: Readonly<Record<ConfigType, number>> = Object.freeze({
  BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, DOUBLE: 6, LIST: 7, CLASS: 8, PASSWORD: 9,
});

/** DescribeConfigsResponse ConfigSource ids. */
export const ConfigSource = Object.freeze({
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  CLIENT_METRICS_CONFIG: 7,
  GROUP_CONFIG: 8,
} as const);
export type ConfigSourceValue = (typeof ConfigSource)[keyof typeof ConfigSource];

/** A parsed config value; LIST -> string[], INT/SHORT/LONG/DOUBLE -> number. */
export type ConfigValue = boolean | number | string | readonly string[] | null;

/** Checks a parsed value; returns a description of the problem, or null when valid. */
export type Validator = (value: ConfigValue) => string | null;

/** One config key: its Kafka name, type, default (as the string Kafka reports) and rules. */
export interface ConfigDef {
  readonly name: string;
  readonly type: ConfigType;
  /** Default as Kafka renders it in DescribeConfigs; null = no default. */
  readonly defaultValue: string | null;
  /** Our own one-paragraph description. */
  readonly doc: string;
  readonly validator?: Validator;
  /** Secret value: never returned by describe. */
  readonly sensitive?: boolean;
  /** Accepted for compatibility but Gregor does not act on it (logged at start-up). */
  readonly unused?: boolean;
}

/** One DescribeConfigs entry (broker or topic resource). */
export interface ConfigSynonym {
  readonly name: string;
  readonly value: string | null;
  readonly source: ConfigSourceValue;
}

export interface ConfigEntryDescription {
  readonly name: string;
  readonly value: string | null;
  readonly source: ConfigSourceValue;
  readonly isSensitive: boolean;
  readonly readOnly: boolean;
  readonly isDefault: boolean;
  /** Most specific first, as Kafka orders them; includes the entry's own key when set. */
  readonly synonyms: readonly ConfigSynonym[];
  readonly documentation: string;
  /** DescribeConfigs ConfigType id (CONFIG_TYPE_ID). */
  readonly type: number;
}
