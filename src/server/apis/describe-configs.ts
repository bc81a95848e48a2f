/**
 * DescribeConfigs (key 32), versions 0-4, following Kafka's ConfigHelper.describeConfigs:
 * - TOPIC (2): every topic config with its effective value and source (topic override,
 *   broker setting, default); illegal name -> INVALID_TOPIC_EXCEPTION, unknown topic ->
 *   UNKNOWN_TOPIC_OR_PARTITION.
 * - BROKER (4): name = this node id -> every broker config, with its source (per-broker
 *   dynamic, cluster-wide dynamic default, static, default) and readOnly unless it may be
 *   changed dynamically; name "" -> only the keys with a cluster-wide dynamic default
 *   (DYNAMIC_DEFAULT_BROKER_CONFIG); another id -> INVALID_REQUEST.
 * - BROKER_LOGGER (8): this node id -> the log levels ("root" = the broker's level).
 * - any other type -> INVALID_REQUEST.
 * configurationKeys filters by name; null or empty means all (as Kafka: an empty list is
 * what some clients send for "every config"); synonyms only when includeSynonyms
 * (v1+); documentation only when includeDocumentation (v3+); sensitive values are null.
 * v0 reports isDefault instead of configSource (the encoder writes what the version has).
 */
import type { ConfigEntryDescription } from '../../config/config-types.ts';
import { ConfigSource } from '../../config/config-types.ts';
import { describeTopicConfig } from '../../config/topic-config.ts';
import { topicNameProblem } from '../../cluster/topic-names.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  DescribeConfigsRequest,
  DescribeConfigsRequestDescribeConfigsResource as Resource,
  DescribeConfigsResponse,
  DescribeConfigsResponseDescribeConfigsResourceResult as EntryResult,
  DescribeConfigsResponseDescribeConfigsResult as ResourceResult,
} from '../../protocol/generated/describe-configs.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 4;

/** Kafka's ConfigResource.Type ids. */
export const ConfigResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

type Services = Pick<BrokerServices, 'metadata' | 'config' | 'logger'>;

interface Options {
  readonly includeSynonyms: boolean;
  readonly includeDocumentation: boolean;
}

/** A resource that cannot be described: Kafka's error code and message for it. */
class ResourceError extends Error {
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export function createDescribeConfigsHandler(services: Services): ApiHandler<DescribeConfigsRequest, DescribeConfigsResponse> {
  return {
    apiKey: ApiKey.DescribeConfigs,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle(request) {
      const options = { includeSynonyms: request.includeSynonyms, includeDocumentation: request.includeDocumentation };
      return { throttleTimeMs: 0, results: request.resources.map((r) => describeResource(services, r, options)) };
    },
  };
}

function describeResource(services: Services, resource: Resource, options: Options): ResourceResult {
  const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
  try {
    const keys = resource.configurationKeys;
    const wanted = keys === null || keys.length === 0 ? null : new Set(keys);
    const entries = entriesOf(services, resource).filter((e) => wanted === null || wanted.has(e.name));
    return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs: entries.map((e) => toResult(e, options)) };
  } catch (err) {
    if (!(err instanceof ResourceError)) throw err;
    return { ...base, errorCode: err.code, errorMessage: err.message, configs: [] };
  }
}

function entriesOf(services: Services, resource: Resource): readonly ConfigEntryDescription[] {
  switch (resource.resourceType) {
    case ConfigResourceType.TOPIC:
      return topicEntries(services, resource.resourceName);
    case ConfigResourceType.BROKER:
      if (resource.resourceName === '') return services.config.describeDynamicDefaults();
      checkOwnBrokerId(services, resource.resourceName);
      return services.config.describe();
    case ConfigResourceType.BROKER_LOGGER:
      if (resource.resourceName === '') throw new ResourceError(ErrorCode.INVALID_REQUEST, 'Broker id must not be empty');
      checkOwnBrokerId(services, resource.resourceName);
      return [loggerEntry(services)];
    default:
      throw new ResourceError(ErrorCode.INVALID_REQUEST, `Unsupported resource type: ${resource.resourceType}`);
  }
}

function topicEntries(services: Services, name: string): readonly ConfigEntryDescription[] {
  const problem = topicNameProblem(name);
  if (problem !== null) throw new ResourceError(ErrorCode.INVALID_TOPIC_EXCEPTION, problem);
  const topic = services.metadata.image().topic(name);
  if (topic === undefined) throw new ResourceError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
  return describeTopicConfig(services.config, topic.configs);
}

function checkOwnBrokerId(services: Services, resourceName: string): void {
  if (!/^-?\d+$/.test(resourceName)) {
    throw new ResourceError(ErrorCode.INVALID_REQUEST, `Broker id must be an integer, but it is: ${resourceName}`);
  }
  if (Number(resourceName) !== services.config.nodeId) {
    throw new ResourceError(
      ErrorCode.INVALID_REQUEST,
      `Unexpected broker id, expected ${services.config.nodeId} or empty string, but received ${resourceName}`,
    );
  }
}

/** The broker's log level as Kafka reports its root logger (log4j level names). */
function loggerEntry(services: Services): ConfigEntryDescription {
  return {
    name: 'root',
    value: services.logger.level === 'silent' ? 'OFF' : services.logger.level.toUpperCase(),
    source: ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG,
    isSensitive: false,
    readOnly: false,
    isDefault: false,
    synonyms: [],
    documentation: '',
    type: 0,
  };
}

function toResult(entry: ConfigEntryDescription, options: Options): EntryResult {
  return {
    name: entry.name,
    value: entry.isSensitive ? null : entry.value,
    readOnly: entry.readOnly,
    isDefault: entry.source === ConfigSource.DEFAULT_CONFIG,
    configSource: entry.source,
    isSensitive: entry.isSensitive,
    synonyms: options.includeSynonyms ? entry.synonyms.map((s) => ({ name: s.name, value: s.value, source: s.source })) : [],
    configType: entry.type,
    documentation: options.includeDocumentation ? entry.documentation : null,
  };
}
