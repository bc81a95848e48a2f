/**
 * What Kafka's controller accepts in AlterClientQuotas (ClientQuotaControlManager), each
 * refusal INVALID_REQUEST with the problem:
 *   - an entity: at least one part; each type once, and one of "user", "client-id", "ip";
 *     a name is null (the default entity) or non-empty; "ip" stands alone and names an IP
 *     address or a resolvable host;
 *   - a quota key: one of the keys of the entity's kind (user/client-id: producer_byte_rate,
 *     consumer_byte_rate (whole numbers), request_percentage, controller_mutation_rate;
 *     ip: connection_creation_rate (a whole number up to 2^31-1)); a value > 0.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { QuotaEntityPart } from '../../cluster/client-quotas.ts';

export const QUOTA_ENTITY_TYPES = ['user', 'client-id', 'ip'] as const;

type QuotaValueType = 'long' | 'int' | 'double';

const USER_AND_CLIENT_QUOTA_KEYS: Readonly<Record<string, QuotaValueType>> = {
  producer_byte_rate: 'long',
  consumer_byte_rate: 'long',
  request_percentage: 'double',
  controller_mutation_rate: 'double',
};
const IP_QUOTA_KEYS: Readonly<Record<string, QuotaValueType>> = { connection_creation_rate: 'int' };

const INT_MAX = 2 ** 31 - 1;
const LONG_MAX = 2 ** 63;
/** How far from a whole number a LONG/INT quota may be (Kafka's tolerance). */
const FRACTION_TOLERANCE = 1e-6;

/** The problem with an entity, or the quota keys it may set. */
export async function entityProblem(parts: readonly QuotaEntityPart[]): Promise<{ problem: string } | { keys: Readonly<Record<string, QuotaValueType>> }> {
  if (parts.length === 0) return { problem: 'Invalid empty client quota entity' };
  const seen = new Set<string>();
  for (const { entityType, entityName } of parts) {
    if (seen.has(entityType)) return { problem: `Invalid client quota entity, duplicate entity entry ${entityType}` };
    seen.add(entityType);
    if (!(QUOTA_ENTITY_TYPES as readonly string[]).includes(entityType)) return { problem: `Unhandled client quota entity type: ${entityType}` };
    if (entityName === '') return { problem: `Empty ${entityType} not supported` };
  }
  if (!seen.has('ip')) return { keys: USER_AND_CLIENT_QUOTA_KEYS };
  if (seen.size > 1) return { problem: 'Invalid quota entity combination: an ip entity cannot be combined with user or client-id' };
  const ip = parts[0].entityName;
  if (ip !== null && !(await resolvable(ip))) return { problem: `${ip} is not a valid IP or resolvable host.` };
  return { keys: IP_QUOTA_KEYS };
}

async function resolvable(host: string): Promise<boolean> {
  if (isIP(host) !== 0) return true;
  try {
    await lookup(host);
    return true;
  } catch {
    return false;
  }
}

/** The problem with setting `key` to `value` for an entity whose keys are `keys`, or null. */
export function quotaValueProblem(keys: Readonly<Record<string, QuotaValueType>>, key: string, value: number): string | null {
  const type = keys[key];
  if (type === undefined) return `Invalid configuration key ${key}`;
  if (!(value > 0)) return `Quota ${key} must be greater than 0`;
  if (type === 'double') return null;
  if (type === 'int' && value > INT_MAX) return `Proposed value for ${key} is too large for an INT.`;
  if (type === 'long' && value > LONG_MAX) return `Proposed value for ${key} is too large for a LONG.`;
  return Math.abs(value % 1) > FRACTION_TOLERANCE ? `${key} cannot be a fractional value.` : null;
}
