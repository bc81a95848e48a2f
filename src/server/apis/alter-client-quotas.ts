/**
 * AlterClientQuotas (key 49), versions 0-1, as Kafka's ClientQuotaControlManager: per
 * entry (an entity and its ops),
 *   - a quota key named twice -> INVALID_REQUEST "Duplicate quota key ..."; an entity
 *     named twice in the request -> INVALID_REQUEST "Ignoring duplicate entity ..." (and
 *     neither entry is applied);
 *   - an invalid entity or quota value -> INVALID_REQUEST with the problem
 *     (client-quota-rules.ts); a remove of a key that is not set is a no-op;
 *   - else the entity's quotas change; all accepted entries are stored together.
 * validateOnly runs every check and changes nothing. Each response entry repeats its
 * entity with the parts in Kafka's order (java-hash-order.ts), in request order.
 * Quotas are stored and described (DescribeClientQuotas); src/server/quotas enforces
 * the byte-rate and request quotas from the next request on.
 */
import { canonicalQuotaEntity, quotaEntityKey, type QuotaAlteration, type QuotaEntityPart } from '../../cluster/client-quotas.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import type {
  AlterClientQuotasRequest,
  AlterClientQuotasRequestEntryData as Entry,
  AlterClientQuotasResponse,
  AlterClientQuotasResponseEntryData as EntryResult,
} from '../../protocol/generated/alter-client-quotas.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';
import { entityProblem, quotaValueProblem } from './client-quota-rules.ts';
import { inJavaHashOrder, javaStringHash } from './java-hash-order.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 1;

type Services = Pick<BrokerServices, 'metadata'>;

export function createAlterClientQuotasHandler(services: Services): ApiHandler<AlterClientQuotasRequest, AlterClientQuotasResponse> {
  return {
    apiKey: ApiKey.AlterClientQuotas,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    async handle(request) {
      const checked = await Promise.all(request.entries.map(checkEntry));
      markDuplicateEntities(checked);
      const accepted = checked.flatMap((c) => (c.problem === null ? [c.alteration] : []));
      if (!request.validateOnly && accepted.length > 0) await services.metadata.alterClientQuotas(accepted);
      return { throttleTimeMs: 0, entries: checked.map(toResult) };
    },
  };
}

interface CheckedEntry {
  readonly parts: readonly QuotaEntityPart[];
  readonly alteration: QuotaAlteration;
  problem: string | null;
}

async function checkEntry(entry: Entry): Promise<CheckedEntry> {
  const alteration: QuotaAlteration = { entity: canonicalQuotaEntity(entry.entity), ops: opsOf(entry) };
  const checked = { parts: entry.entity, alteration };
  const keys = new Set<string>();
  for (const op of entry.ops) {
    if (keys.has(op.key)) return { ...checked, problem: `Duplicate quota key ${op.key} not updating quota for this entity ${describeEntity(entry.entity)}` };
    keys.add(op.key);
  }
  const entity = await entityProblem(entry.entity);
  if ('problem' in entity) return { ...checked, problem: entity.problem };
  for (const op of entry.ops) {
    const problem = op.remove ? null : quotaValueProblem(entity.keys, op.key, op.value);
    if (problem !== null) return { ...checked, problem };
  }
  return { ...checked, problem: null };
}

function opsOf(entry: Entry): Record<string, number | null> {
  return Object.fromEntries(entry.ops.map((op) => [op.key, op.remove ? null : op.value]));
}

/** Every entry whose entity another entry also names is refused. */
function markDuplicateEntities(checked: CheckedEntry[]): void {
  const keys = checked.map((c) => quotaEntityKey(c.alteration.entity));
  const count = new Map<string, number>();
  for (const key of keys) count.set(key, (count.get(key) ?? 0) + 1);
  checked.forEach((c, i) => {
    if (count.get(keys[i])! > 1) c.problem = `Ignoring duplicate entity ${describeEntity(c.parts)}`;
  });
}

function describeEntity(parts: readonly QuotaEntityPart[]): string {
  return `ClientQuotaEntity(entries=${JSON.stringify(Object.fromEntries(parts.map((p) => [p.entityType, p.entityName])))})`;
}

function toResult(c: CheckedEntry): EntryResult {
  return {
    errorCode: c.problem === null ? ErrorCode.NONE : ErrorCode.INVALID_REQUEST,
    errorMessage: c.problem,
    entity: inJavaHashOrder(c.parts, (p) => javaStringHash(p.entityType)).map((p) => ({ entityType: p.entityType, entityName: p.entityName })),
  };
}
