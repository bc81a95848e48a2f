/**
 * IncrementalAlterConfigs (key 44), versions 0-1: changes only the named keys of each
 * resource (Kafka's KIP-339), with the checks and resource rules of AlterConfigs
 * (alter-configs.ts). Operations, as Kafka's ConfigurationControlManager applies them:
 *   SET (0)      key = value
 *   DELETE (1)   key removed (back to the broker / default value); value ignored
 *   APPEND (2)   LIST keys only: the comma-separated values not yet in the list are added
 *                to the current value (the key's default when it has no value here)
 *   SUBTRACT (3) LIST keys only: the comma-separated values are removed from the list
 * APPEND/SUBTRACT on another type -> INVALID_CONFIG; an unknown operation or a null value
 * for anything but DELETE -> INVALID_REQUEST; an unknown key -> INVALID_CONFIG (topics) /
 * INVALID_REQUEST (brokers), as the resource's validation answers.
 * BROKER_LOGGER (log4j levels) is not supported: INVALID_REQUEST.
 * The new set is computed from the current one inside the metadata store's serialized
 * update (as Kafka's controller does), so concurrent changes of different keys all land.
 */
import { BROKER_CONFIG_DEFS } from '../../config/broker-config-defs.ts';
import type { ConfigDef } from '../../config/config-types.ts';
import { TOPIC_CONFIG_DEFS } from '../../config/topic-config-defs.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsRequestAlterableConfig as AlterableConfig,
  IncrementalAlterConfigsResponse,
} from '../../protocol/generated/incremental-alter-configs.ts';
import type { ApiHandler } from '../api-handler.ts';
import { alterResources, checkNoNullValues, ResourceError, type ConfigChangeServices, type ConfigSet } from './alter-configs.ts';
import { ConfigResourceType } from './describe-configs.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 1;

/** Kafka's AlterConfigOp.OpType ids. */
export const AlterConfigOp = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export function createIncrementalAlterConfigsHandler(
  services: ConfigChangeServices,
): ApiHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> {
  return {
    apiKey: ApiKey.IncrementalAlterConfigs,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    async handle(request) {
      const responses = await alterResources(services, request.resources, request.validateOnly, (resource) => {
        if (resource.resourceType === ConfigResourceType.BROKER_LOGGER) {
          throw new ResourceError(ErrorCode.INVALID_REQUEST, 'Changing broker log levels (BROKER_LOGGER) is not supported');
        }
        checkNoNullValues(resource.configs.filter((c) => c.configOperation !== AlterConfigOp.DELETE));
        const unknown = resource.configs.find((c) => !Object.values(AlterConfigOp).includes(c.configOperation as 0));
        if (unknown !== undefined) throw new ResourceError(ErrorCode.INVALID_REQUEST, `Unknown operations type ${unknown.configOperation}`);
        return (current) => applyOps(resource.resourceType, current, resource.configs);
      });
      return { throttleTimeMs: 0, responses };
    },
  };
}

function applyOps(resourceType: number, current: ConfigSet, ops: readonly AlterableConfig[]): ConfigSet {
  const next: Record<string, string> = { ...current };
  for (const op of ops) {
    switch (op.configOperation) {
      case AlterConfigOp.SET:
        next[op.name] = op.value!;
        break;
      case AlterConfigOp.DELETE:
        delete next[op.name];
        break;
      default:
        next[op.name] = changeList(resourceType, op, current[op.name]);
    }
  }
  return next;
}

/** APPEND / SUBTRACT of a LIST key: the new comma-separated value. */
function changeList(resourceType: number, op: AlterableConfig, currentValue: string | undefined): string {
  const def = definitionOf(resourceType, op.name);
  const verb = op.configOperation === AlterConfigOp.APPEND ? 'APPEND' : 'SUBTRACT';
  if (def === undefined) throw new ResourceError(ErrorCode.INVALID_CONFIG, `Unknown config name: ${op.name}`);
  if (def.type !== 'LIST') throw new ResourceError(ErrorCode.INVALID_CONFIG, `Can't ${verb} to key ${op.name} because its type is not LIST.`);
  const list = splitList(currentValue ?? def.defaultValue ?? '');
  const values = splitList(op.value!);
  if (op.configOperation === AlterConfigOp.APPEND) return [...list, ...values.filter((v) => !list.includes(v))].join(',');
  return list.filter((v) => !values.includes(v)).join(',');
}

function definitionOf(resourceType: number, name: string): ConfigDef | undefined {
  return resourceType === ConfigResourceType.TOPIC ? TOPIC_CONFIG_DEFS.get(name) : BROKER_CONFIG_DEFS.get(name);
}

function splitList(value: string): string[] {
  return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}
