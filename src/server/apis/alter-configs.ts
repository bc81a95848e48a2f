/**
 * AlterConfigs (key 33), versions 0-2: replaces the WHOLE config set of each resource
 * (keys not named are removed), following Kafka's ConfigAdminManager + controller
 * (ConfigurationControlManager). Also holds what IncrementalAlterConfigs shares with it:
 * request checks and the application of a new config set to a resource.
 *
 * Per resource, in this order:
 *   - named twice in the request -> INVALID_REQUEST "Each resource must appear at most once.";
 *   - a key named twice -> INVALID_REQUEST; a null value -> INVALID_REQUEST;
 *   - TOPIC (2): illegal name -> INVALID_TOPIC_EXCEPTION; unknown topic ->
 *     UNKNOWN_TOPIC_OR_PARTITION; unknown key or bad value -> INVALID_CONFIG with the
 *     problem; else stored in the metadata and pushed into the topic's logs;
 *   - BROKER (4): name "" (cluster-wide default) or this node's id (else INVALID_REQUEST);
 *     a key that is not dynamic -> "Cannot update these configs dynamically: [...]", a bad
 *     value -> its problem, both INVALID_REQUEST as Kafka answers (KAFKA-13609); else
 *     stored and applied at once (topics without an override follow);
 *   - any other type -> INVALID_REQUEST "Unknown resource type N".
 * validateOnly runs every check and changes nothing. The answer comes once the change is
 * applied locally (the logs use the new values).
 */
import { KafkaApiError } from '../../cluster/kafka-api-error.ts';
import { topicNameProblem } from '../../cluster/topic-names.ts';
import { dynamicBrokerConfigProblem } from '../../config/dynamic-broker-config.ts';
import { validateTopicConfigs } from '../../config/topic-config.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import type { AlterConfigsRequest, AlterConfigsResponse } from '../../protocol/generated/alter-configs.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';
import { ConfigResourceType } from './describe-configs.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 2;

export type ConfigChangeServices = Pick<BrokerServices, 'metadata' | 'config' | 'logger' | 'metadataApplied'>;

export type ConfigSet = Readonly<Record<string, string>>;

/** A resource change that is refused: Kafka's error code and message. */
export class ResourceError extends Error {
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export interface ResourceResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly resourceType: number;
  readonly resourceName: string;
}

/** The parts of a request resource both AlterConfigs APIs have. */
export interface RequestedResource {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly configs: readonly { readonly name: string; readonly value: string | null }[];
}

export function createAlterConfigsHandler(services: ConfigChangeServices): ApiHandler<AlterConfigsRequest, AlterConfigsResponse> {
  return {
    apiKey: ApiKey.AlterConfigs,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    async handle(request) {
      const responses = await alterResources(services, request.resources, request.validateOnly, (resource) => {
        checkNoNullValues(resource.configs);
        return () => Object.fromEntries(resource.configs.map((c) => [c.name, c.value!]));
      });
      return { throttleTimeMs: 0, responses };
    },
  };
}

/**
 * Runs each resource's change (`prepare` checks the request's own entries and returns the
 * function computing the new set from the current one) and answers them in request order.
 */
export async function alterResources<R extends RequestedResource>(
  services: ConfigChangeServices,
  resources: readonly R[],
  validateOnly: boolean,
  prepare: (resource: R) => (current: ConfigSet) => ConfigSet,
): Promise<ResourceResult[]> {
  const repeated = repeatedResources(resources);
  const results = await Promise.all(resources.map(async (resource) => {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    try {
      if (repeated.has(resourceKey(resource))) throw new ResourceError(ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.');
      checkNoDuplicateKeys(resource.configs);
      await alterResource(services, resource, prepare(resource), validateOnly);
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null };
    } catch (err) {
      const refused = asResourceError(err);
      services.logger.info({ ...base, error: refused.message }, 'config change refused');
      return { ...base, errorCode: refused.code, errorMessage: refused.message };
    }
  }));
  if (!validateOnly) await services.metadataApplied();
  return results;
}

async function alterResource(
  services: ConfigChangeServices,
  resource: RequestedResource,
  compute: (current: ConfigSet) => ConfigSet,
  validateOnly: boolean,
): Promise<void> {
  switch (resource.resourceType) {
    case ConfigResourceType.TOPIC:
      return alterTopic(services, resource.resourceName, compute, validateOnly);
    case ConfigResourceType.BROKER:
      return alterBroker(services, resource.resourceName, compute, validateOnly);
    default:
      throw new ResourceError(ErrorCode.INVALID_REQUEST, `Unknown resource type ${resource.resourceType}`);
  }
}

async function alterTopic(services: ConfigChangeServices, name: string, compute: (current: ConfigSet) => ConfigSet, validateOnly: boolean): Promise<void> {
  const problem = topicNameProblem(name);
  if (problem !== null) throw new ResourceError(ErrorCode.INVALID_TOPIC_EXCEPTION, problem);
  const topic = await services.metadata.alterTopicConfigs(name, (current) => {
    const next = compute(current);
    const invalid = validateTopicConfigs(next, services.config);
    if (invalid !== null) throw new ResourceError(ErrorCode.INVALID_CONFIG, invalid.message);
    return next;
  }, validateOnly);
  if (!validateOnly) services.logger.info({ topic: name, configs: topic.configs }, 'topic configs changed');
}

async function alterBroker(services: ConfigChangeServices, name: string, compute: (current: ConfigSet) => ConfigSet, validateOnly: boolean): Promise<void> {
  if (name !== '') checkOwnBrokerId(services.config.nodeId, name);
  await services.metadata.alterBrokerConfigs(name, (current) => {
    const next = compute(current);
    const problem = dynamicBrokerConfigProblem(new Map(Object.entries(next)));
    if (problem !== null) throw new ResourceError(ErrorCode.INVALID_REQUEST, problem);
    return next;
  }, validateOnly);
  if (!validateOnly) services.logger.info({ broker: name === '' ? 'cluster default' : name, configs: services.metadata.image().brokerConfigsOf(name) }, 'dynamic broker configs changed');
}

function checkOwnBrokerId(nodeId: number, name: string): void {
  if (!/^-?\d+$/.test(name)) throw new ResourceError(ErrorCode.INVALID_REQUEST, `Node id must be an integer, but it is: ${name}`);
  if (Number(name) !== nodeId) throw new ResourceError(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${nodeId}, but received ${name}`);
}

export function checkNoNullValues(configs: readonly { readonly name: string; readonly value: string | null }[]): void {
  const nulls = configs.filter((c) => c.value === null).map((c) => c.name);
  if (nulls.length > 0) throw new ResourceError(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${nulls.join(', ')}`);
}

function checkNoDuplicateKeys(configs: readonly { readonly name: string }[]): void {
  if (new Set(configs.map((c) => c.name)).size !== configs.length) {
    throw new ResourceError(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys');
  }
}

function resourceKey(resource: RequestedResource): string {
  return `${resource.resourceType}:${resource.resourceName}`;
}

function repeatedResources(resources: readonly RequestedResource[]): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const r of resources) {
    const key = resourceKey(r);
    if (seen.has(key)) repeated.add(key);
    seen.add(key);
  }
  return repeated;
}

function asResourceError(err: unknown): ResourceError {
  if (err instanceof ResourceError) return err;
  if (err instanceof KafkaApiError) return new ResourceError(err.code, err.message);
  throw err;
}
