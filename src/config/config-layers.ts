/**
 * ConfigLayers: the explicit broker values on top of the defaults of BROKER_CONFIG_DEFS, in
 * Kafka's precedence (per-broker dynamic > cluster-wide dynamic default > static), with the
 * source of each, and the synonym-group resolution Kafka uses
 * (`log.retention.ms` > `.minutes` > `.hours`, first one explicitly set wins, else the first
 * non-null default). Raw strings are kept so values are reported exactly as given
 * (9223372036854775807 stays that string, though as a number it is clamped).
 *
 * A dynamic layer may also hold keys the broker does not know: Kafka accepts such custom
 * keys in AlterConfigs on a BROKER resource (DynamicConfig.Broker allows custom props),
 * stores them and describes them as sensitive. They are kept apart (`custom*`), never
 * parsed and never used; static keys must be known (BrokerConfig refuses the others).
 */
import { BROKER_CONFIG_DEFS, BROKER_SYNONYM_GROUPS } from './broker-config-defs.ts';
import { ConfigError } from './config-error.ts';
import { ConfigSource } from './config-types.ts';
import type { ConfigDef, ConfigSourceValue, ConfigSynonym, ConfigValue } from './config-types.ts';
import { parseConfigValue } from './config-values.ts';

export interface LayerValue {
  readonly raw: string;
  readonly value: ConfigValue;
  readonly source: ConfigSourceValue;
}

/** A synonym-group member with the factor converting it to the group's first unit. */
export interface SynonymMember {
  readonly name: string;
  readonly factor: number;
}

/** Result of resolving a synonym group: the winning member and its value. */
export interface ResolvedSynonym extends LayerValue {
  readonly name: string;
  readonly factor: number;
}

export class ConfigLayers {
  readonly #dynamic: ReadonlyMap<string, LayerValue>;
  readonly #dynamicDefault: ReadonlyMap<string, LayerValue>;
  readonly #static: ReadonlyMap<string, LayerValue>;
  readonly #customDynamic: ReadonlyMap<string, LayerValue>;
  readonly #customDynamicDefault: ReadonlyMap<string, LayerValue>;

  constructor(
    staticProps: ReadonlyMap<string, string>,
    dynamicProps: ReadonlyMap<string, string>,
    dynamicDefaultProps: ReadonlyMap<string, string> = new Map(),
  ) {
    this.#static = parseLayer(staticProps, ConfigSource.STATIC_BROKER_CONFIG);
    this.#dynamic = parseLayer(known(dynamicProps, true), ConfigSource.DYNAMIC_BROKER_CONFIG);
    this.#dynamicDefault = parseLayer(known(dynamicDefaultProps, true), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
    this.#customDynamic = customLayer(known(dynamicProps, false), ConfigSource.DYNAMIC_BROKER_CONFIG);
    this.#customDynamicDefault = customLayer(known(dynamicDefaultProps, false), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
  }

  /** Custom (unknown) keys of the dynamic layers. */
  customKeys(): string[] {
    return [...new Set([...this.#customDynamic.keys(), ...this.#customDynamicDefault.keys()])];
  }

  /** Keys given explicitly (static or dynamic). */
  explicitKeys(): string[] {
    return [...new Set([...this.#static.keys(), ...this.#dynamic.keys(), ...this.#dynamicDefault.keys()])];
  }

  /** Explicit value of exactly this key, most specific layer first; undefined when not set. */
  explicit(name: string): LayerValue | undefined {
    return this.#dynamic.get(name) ?? this.#dynamicDefault.get(name) ?? this.#static.get(name);
  }

  /** The cluster-wide dynamic default of this key (DescribeConfigs of the "" broker resource). */
  dynamicDefault(name: string): LayerValue | undefined {
    return this.#dynamicDefault.get(name) ?? this.#customDynamicDefault.get(name);
  }

  /** Keys with a cluster-wide dynamic default, custom ones included. */
  dynamicDefaultKeys(): string[] {
    return [...this.#dynamicDefault.keys(), ...this.#customDynamicDefault.keys()];
  }

  /** Effective value of exactly this key (explicit, else default), or null-valued default. */
  effective(name: string): LayerValue {
    return this.explicit(name) ?? defaultLayerValue(definition(name));
  }

  /** Resolves a synonym group (Kafka precedence). Null when no member has any value. */
  resolve(group: readonly SynonymMember[]): ResolvedSynonym | null {
    for (const member of group) {
      const hit = this.explicit(member.name);
      if (hit !== undefined) return { ...hit, ...member };
    }
    for (const member of group) {
      const def = definition(member.name);
      if (def.defaultValue !== null) return { ...defaultLayerValue(def), ...member };
    }
    return null;
  }

  /**
   * DescribeConfigs synonyms of `name` (a member of `group`) as Kafka's
   * ConfigHelper.configSynonyms lists them: the values of the group's members layer by layer
   * (per-broker dynamic, dynamic default, static, default; group order within a layer), then
   * everything before the first value of `name` itself dropped. So a key without a value of
   * its own has no synonyms: log.retention.ms (the synonym of topic retention.ms) lists
   * nothing while only log.retention.hours is set, and the entry's source is then
   * DEFAULT_CONFIG, exactly as Kafka answers.
   */
  synonyms(group: readonly SynonymMember[], name: string = group[0].name): ConfigSynonym[] {
    const out: ConfigSynonym[] = [];
    const push = (member: string, raw: string, source: ConfigSourceValue) =>
      out.push({ name: member, value: isSensitiveKey(member) ? null : raw, source });
    const layers = [[this.#dynamic, this.#customDynamic], [this.#dynamicDefault, this.#customDynamicDefault], [this.#static]];
    for (const maps of layers) {
      for (const member of group) {
        const hit = maps.map((m) => m.get(member.name)).find((v) => v !== undefined);
        if (hit) push(member.name, hit.raw, hit.source);
      }
    }
    for (const member of group) {
      const defaultValue = BROKER_CONFIG_DEFS.get(member.name)?.defaultValue ?? null;
      if (defaultValue !== null) push(member.name, defaultValue, ConfigSource.DEFAULT_CONFIG);
    }
    const own = out.findIndex((s) => s.name === name);
    return own < 0 ? [] : out.slice(own);
  }
}

/** The synonym group a broker key belongs to, or a group of just that key. */
export function brokerSynonymGroup(name: string): readonly SynonymMember[] {
  return BROKER_SYNONYM_GROUPS.find((g) => g.some((m) => m.name === name)) ?? [{ name, factor: 1 }];
}

/**
 * Whether DescribeConfigs hides the key's values: sensitive keys, and custom keys, whose type
 * is unknown (Kafka's KafkaConfig.maybeSensitive).
 */
export function isSensitiveKey(name: string): boolean {
  const def = BROKER_CONFIG_DEFS.get(name);
  return def === undefined || def.sensitive === true;
}

/** The definition of a known broker key; throws ConfigError for an unknown one. */
export function definition(name: string): ConfigDef {
  const def = BROKER_CONFIG_DEFS.get(name);
  if (def === undefined) throw new ConfigError(name, 'unknown broker configuration key');
  return def;
}

const defaultCache = new Map<string, LayerValue>();

function defaultLayerValue(def: ConfigDef): LayerValue {
  let cached = defaultCache.get(def.name);
  if (cached === undefined) {
    const raw = def.defaultValue ?? '';
    const value = def.defaultValue === null ? null : parseConfigValue(def, raw);
    cached = { raw, value, source: ConfigSource.DEFAULT_CONFIG };
    defaultCache.set(def.name, cached);
  }
  return cached;
}

/** The entries of `props` whose key the broker knows (wanted = true) or does not know (false). */
function known(props: ReadonlyMap<string, string>, wanted: boolean): ReadonlyMap<string, string> {
  return new Map([...props].filter(([name]) => BROKER_CONFIG_DEFS.has(name) === wanted));
}

/** Custom keys' values, kept as given (raw string) and never parsed. */
function customLayer(props: ReadonlyMap<string, string>, source: ConfigSourceValue): ReadonlyMap<string, LayerValue> {
  return new Map([...props].map(([name, raw]) => [name, { raw, value: raw, source }]));
}

function parseLayer(props: ReadonlyMap<string, string>, source: ConfigSourceValue): ReadonlyMap<string, LayerValue> {
  const layer = new Map<string, LayerValue>();
  for (const [name, raw] of props) {
    layer.set(name, { raw, value: parseConfigValue(definition(name), raw), source });
  }
  return layer;
}
