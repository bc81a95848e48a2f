/**
 * Client quota entities and their stored quota values, as Kafka's ClientQuotaRecord /
 * ClientQuotaImage hold them: an entity is a set of (type, name) parts — types "user",
 * "client-id" or "ip", a null name being that type's default entity — and maps quota keys
 * (producer_byte_rate, ...) to numbers. Which entities and keys are valid is checked by
 * the AlterClientQuotas handler before anything reaches the metadata store.
 *
 * The broker enforces producer_byte_rate, consumer_byte_rate and request_percentage
 * (src/server/quotas); controller_mutation_rate and ip connection_creation_rate are
 * stored and described only.
 */

export interface QuotaEntityPart {
  readonly entityType: string;
  /** null = the default entity of this type. */
  readonly entityName: string | null;
}

/** An entity in canonical form: its parts sorted by type, each type at most once. */
export type QuotaEntity = readonly QuotaEntityPart[];

export interface ClientQuota {
  readonly entity: QuotaEntity;
  readonly quotas: Readonly<Record<string, number>>;
}

/** One entity's changes: key -> new value, or null to remove the key. */
export interface QuotaAlteration {
  readonly entity: QuotaEntity;
  readonly ops: Readonly<Record<string, number | null>>;
}

export function canonicalQuotaEntity(parts: readonly QuotaEntityPart[]): QuotaEntity {
  return parts
    .map((p) => ({ entityType: p.entityType, entityName: p.entityName }))
    .sort((a, b) => (a.entityType < b.entityType ? -1 : a.entityType > b.entityType ? 1 : 0));
}

/** Map key of a canonical entity. */
export function quotaEntityKey(entity: QuotaEntity): string {
  return JSON.stringify(entity.map((p) => [p.entityType, p.entityName]));
}

/** The quotas after applying `ops` to `current` ({} when every key is removed). */
export function applyQuotaOps(current: Readonly<Record<string, number>>, ops: QuotaAlteration['ops']): Record<string, number> {
  const next: Record<string, number> = { ...current };
  for (const [key, value] of Object.entries(ops)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}
