/**
 * DescribeClientQuotas (key 48), versions 0-1, as Kafka's ClientQuotaControlManager /
 * ClientQuotasImage.describe: the filter's components each name an entity type once
 * (an empty type or a repeated one -> INVALID_REQUEST; a type other than user, client-id
 * or ip -> UNSUPPORTED_VERSION; ip together with user or client-id -> INVALID_REQUEST),
 * with match type 0 = that exact name (a null name -> INVALID_REQUEST), 1 = the type's
 * default entity, 2 = any entity of that type (another -> INVALID_REQUEST). An entity
 * matches when it has every component's part as asked; strict also requires it to have
 * no other parts. On a refused filter the answer carries the error and null entries.
 * Entities, their parts and their quota keys come in Kafka's order (java-hash-order.ts).
 */
import type { ClientQuota } from '../../cluster/client-quotas.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  DescribeClientQuotasRequest,
  DescribeClientQuotasRequestComponentData as Component,
  DescribeClientQuotasResponse,
  DescribeClientQuotasResponseEntryData as EntryResult,
} from '../../protocol/generated/describe-client-quotas.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';
import { QUOTA_ENTITY_TYPES } from './client-quota-rules.ts';
import { inJavaHashOrder, javaMapHash, javaStringHash } from './java-hash-order.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 1;

const MATCH_EXACT = 0;
const MATCH_DEFAULT = 1;
const MATCH_ANY = 2;

type Services = Pick<BrokerServices, 'metadata'>;

/** One component as a predicate: the entity must have `entityType`, named `name` unless `any`. */
interface PartFilter {
  readonly entityType: string;
  readonly any: boolean;
  readonly name: string | null;
}

class FilterError extends Error {
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export function createDescribeClientQuotasHandler(services: Services): ApiHandler<DescribeClientQuotasRequest, DescribeClientQuotasResponse> {
  return {
    apiKey: ApiKey.DescribeClientQuotas,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle(request) {
      let filters: PartFilter[];
      try {
        filters = parseFilter(request.components);
      } catch (err) {
        if (!(err instanceof FilterError)) throw err;
        return { throttleTimeMs: 0, errorCode: err.code, errorMessage: err.message, entries: null };
      }
      const matching = [...services.metadata.image().clientQuotas.values()].filter((q) => matches(q, filters, request.strict));
      const ordered = inJavaHashOrder(matching, (q) => javaMapHash(q.entity.map((p) => [p.entityType, p.entityName])));
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, entries: ordered.map(toResult) };
    },
  };
}

function parseFilter(components: readonly Component[]): PartFilter[] {
  const filters: PartFilter[] = [];
  for (const c of components) {
    if (c.entityType === '') throw new FilterError(ErrorCode.INVALID_REQUEST, 'Invalid empty entity type.');
    if (filters.some((f) => f.entityType === c.entityType)) {
      throw new FilterError(ErrorCode.INVALID_REQUEST, `Entity type ${c.entityType} cannot appear more than once in the filter.`);
    }
    if (!(QUOTA_ENTITY_TYPES as readonly string[]).includes(c.entityType)) {
      throw new FilterError(ErrorCode.UNSUPPORTED_VERSION, `Unsupported entity type ${c.entityType}`);
    }
    filters.push(partFilter(c));
  }
  if (filters.some((f) => f.entityType === 'ip') && filters.length > 1) {
    throw new FilterError(ErrorCode.INVALID_REQUEST, 'Invalid entity filter component combination: an ip component cannot be used with user or client-id components.');
  }
  return filters;
}

function partFilter(c: Component): PartFilter {
  switch (c.matchType) {
    case MATCH_EXACT:
      if (c.match === null) throw new FilterError(ErrorCode.INVALID_REQUEST, `Exact match of ${c.entityType} needs a name.`);
      return { entityType: c.entityType, any: false, name: c.match };
    case MATCH_DEFAULT:
      return { entityType: c.entityType, any: false, name: null };
    case MATCH_ANY:
      return { entityType: c.entityType, any: true, name: null };
    default:
      throw new FilterError(ErrorCode.INVALID_REQUEST, `Unknown match type ${c.matchType}`);
  }
}

function matches(quota: ClientQuota, filters: readonly PartFilter[], strict: boolean): boolean {
  if (strict && quota.entity.length !== filters.length) return false;
  return filters.every((f) => {
    const part = quota.entity.find((p) => p.entityType === f.entityType);
    return part !== undefined && (f.any || part.entityName === f.name);
  });
}

function toResult(quota: ClientQuota): EntryResult {
  return {
    entity: inJavaHashOrder(quota.entity, (p) => javaStringHash(p.entityType)).map((p) => ({ entityType: p.entityType, entityName: p.entityName })),
    values: inJavaHashOrder(Object.entries(quota.quotas), ([key]) => javaStringHash(key)).map(([key, value]) => ({ key, value })),
  };
}
