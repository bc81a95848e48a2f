/**
 * EmbeddedMetadataStore: the single-node MetadataStore. This broker is the only broker and
 * the controller. State lives in an append-only metadata log (metadata-log.ts) under
 * `<first log dir>/__cluster_metadata-0/metadata.jsonl`, replayed at start; every change
 * is planned against the current image (topic-planning.ts), appended and fsynced, and only
 * then applied to the in-memory image and announced to listeners. Mutations run one at a
 * time (a promise chain), so each is planned against the result of the previous one.
 * Owner of the image: this class; readers get immutable snapshots via image().
 * At start-up a log with more than METADATA_LOG_SLACK_RECORDS superseded records is
 * rewritten as a snapshot of the image (atomically), so it never grows without bound.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrokerConfig } from '../config/broker-config.ts';
import { ConfigError } from '../config/config-error.ts';
import { dynamicLayersOf } from '../config/dynamic-broker-config.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { fsyncDirectory } from './atomic-write.ts';
import { applyQuotaOps, type ClientQuota, type QuotaAlteration } from './client-quotas.ts';
import { KafkaApiError } from './kafka-api-error.ts';
import { MetadataImage } from './metadata-image.ts';
import type { BrokerInfo, TopicInfo } from './metadata-image.ts';
import { MetadataLogFile } from './metadata-log.ts';
import { applyRecord, METADATA_LOG_VERSION, snapshotRecords } from './metadata-records.ts';
import type { MetadataRecord } from './metadata-records.ts';
import type { ConfigUpdate, CreateTopicSpec, MetadataChange, MetadataListener, MetadataStore } from './metadata-store.ts';
import { ensureMetaProperties } from './meta-properties.ts';
import { checkConfigs, planCreatePartitions, planCreateTopic } from './topic-planning.ts';

/** Directory of the metadata log inside the first log dir (storage must skip it). */
export const METADATA_DIR_NAME = '__cluster_metadata-0';
export const METADATA_LOG_FILE_NAME = 'metadata.jsonl';
/**
 * Records the log may hold beyond a snapshot of the image before it is compacted (at
 * start-up) into that snapshot; bounds the file and the replay time.
 */
export const METADATA_LOG_SLACK_RECORDS = 1000;

export interface StoreLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface EmbeddedStoreOptions {
  readonly config: BrokerConfig;
  readonly logger?: StoreLogger;
  /** Overrides METADATA_LOG_SLACK_RECORDS (tests). */
  readonly compactionSlackRecords?: number;
}

const silentLogger: StoreLogger = { info() {}, warn() {}, error() {} };

export class EmbeddedMetadataStore implements MetadataStore {
  readonly #config: BrokerConfig;
  readonly #log: MetadataLogFile;
  readonly #logger: StoreLogger;
  readonly #listeners = new Set<MetadataListener>();
  #image: MetadataImage;
  /** Tail of the mutation chain; each mutation starts after the previous one settles. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(config: BrokerConfig, log: MetadataLogFile, image: MetadataImage, logger: StoreLogger) {
    this.#config = config;
    this.#log = log;
    this.#image = image;
    this.#logger = logger;
  }

  /** Checks meta.properties, replays the metadata log and registers this broker. */
  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedMetadataStore> {
    const { config } = options;
    const logger = options.logger ?? silentLogger;
    const { clusterId } = await ensureMetaProperties(config.logDirs, config.nodeId, config.clusterId);
    const dir = join(config.logDirs[0], METADATA_DIR_NAME);
    await mkdir(dir, { recursive: true });
    await fsyncDirectory(config.logDirs[0]);
    const path = join(dir, METADATA_LOG_FILE_NAME);
    const opened = await MetadataLogFile.open(path);
    const { loaded } = opened;
    let log = opened.log;
    if (loaded.truncatedTornTail) logger.warn(`${path}: dropped a torn last record left by a crash`);
    try {
      const image = replay(new MetadataImage({ clusterId, controllerId: config.nodeId }), loaded.records, path);
      const snapshot = snapshotRecords(image);
      if (loaded.records.length > snapshot.length + (options.compactionSlackRecords ?? METADATA_LOG_SLACK_RECORDS)) {
        await log.close();
        log = await MetadataLogFile.rewrite(path, snapshot);
        logger.info(`${path}: compacted ${loaded.records.length} records into ${snapshot.length}`);
      }
      const store = new EmbeddedMetadataStore(config, log, image, logger);
      if (loaded.records.length === 0) {
        await store.#append({ type: 'header', version: METADATA_LOG_VERSION, clusterId });
      }
      await store.registerBroker(selfBrokerInfo(config));
      logger.info(`metadata: cluster ${clusterId}, ${image.topicsByName.size} topic(s) loaded`);
      return store;
    } catch (err) {
      await log.close().catch(() => undefined); // may already be closed by a failed rewrite
      throw err;
    }
  }

  image(): MetadataImage {
    return this.#image;
  }

  createTopic(spec: CreateTopicSpec): Promise<TopicInfo> {
    return this.#serialized(async () => {
      const topic = planCreateTopic(this.#image, this.#config, spec);
      if (spec.validateOnly) return topic;
      await this.#commit({ type: 'topic', topic }, (image) => ({ kind: 'topic-created', topic: image.topicById(topic.topicId)! }));
      return this.#image.topicById(topic.topicId)!;
    });
  }

  deleteTopic(name: string): Promise<TopicInfo> {
    return this.#serialized(async () => {
      this.#checkDeletionEnabled();
      const topic = this.#image.topic(name);
      if (topic === undefined) throw unknownTopic(name);
      return this.#delete(topic);
    });
  }

  deleteTopicById(topicId: string): Promise<TopicInfo> {
    return this.#serialized(async () => {
      this.#checkDeletionEnabled();
      const topic = this.#image.topicById(topicId);
      if (topic === undefined) throw new KafkaApiError(ErrorCode.UNKNOWN_TOPIC_ID, `Topic id ${topicId} does not exist.`);
      return this.#delete(topic);
    });
  }

  createPartitions(
    name: string,
    totalCount: number,
    assignments?: readonly (readonly number[])[],
    validateOnly = false,
  ): Promise<TopicInfo> {
    return this.#serialized(async () => {
      const topic = this.#image.topic(name);
      if (topic === undefined) throw unknownTopic(name);
      const partitions = planCreatePartitions(this.#image, topic, totalCount, assignments);
      if (validateOnly) return { ...topic, partitions: [...topic.partitions, ...partitions] };
      const firstNewPartition = topic.partitions.length;
      await this.#commit({ type: 'partitions', topicId: topic.topicId, partitions }, (image) => ({
        kind: 'partitions-created',
        topic: image.topicById(topic.topicId)!,
        firstNewPartition,
      }));
      return this.#image.topicById(topic.topicId)!;
    });
  }

  alterTopicConfigs(name: string, update: ConfigUpdate, validateOnly = false): Promise<TopicInfo> {
    return this.#serialized(async () => {
      const topic = this.#image.topic(name);
      if (topic === undefined) throw unknownTopic(name);
      const configs = typeof update === 'function' ? update(topic.configs) : update;
      checkConfigs(configs, this.#config);
      if (validateOnly) return { ...topic, configs: { ...configs } };
      await this.#commit({ type: 'topic-configs', topicId: topic.topicId, configs: { ...configs } }, (image) => ({
        kind: 'topic-configs',
        topic: image.topicById(topic.topicId)!,
      }));
      return this.#image.topicById(topic.topicId)!;
    });
  }

  alterBrokerConfigs(resourceName: string, update: ConfigUpdate, validateOnly = false): Promise<void> {
    return this.#serialized(async () => {
      const configs = typeof update === 'function' ? update(this.#image.brokerConfigsOf(resourceName)) : update;
      checkBrokerConfigs(this.#config, this.#image, resourceName, configs);
      if (validateOnly) return;
      await this.#commit({ type: 'broker-configs', resourceName, configs: { ...configs } }, () => ({ kind: 'broker-configs', resourceName }));
    });
  }

  alterClientQuotas(alterations: readonly QuotaAlteration[]): Promise<void> {
    return this.#serialized(async () => {
      const quotas: ClientQuota[] = [];
      for (const { entity, ops } of alterations) {
        const current = this.#image.clientQuotasOf(entity);
        const next = applyQuotaOps(current, ops);
        if (JSON.stringify(next) !== JSON.stringify(current)) quotas.push({ entity, quotas: next });
      }
      if (quotas.length === 0) return;
      await this.#commit({ type: 'client-quotas', quotas }, () => ({ kind: 'client-quotas' }));
    });
  }

  registerBroker(broker: BrokerInfo): Promise<void> {
    return this.#serialized(async () => {
      const current = this.#image.broker(broker.nodeId);
      if (current !== undefined && JSON.stringify(current) === JSON.stringify(broker)) return;
      await this.#commit({ type: 'broker', broker }, () => ({ kind: 'broker', nodeId: broker.nodeId }));
    });
  }

  onChange(listener: MetadataListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Waits for pending mutations, then closes the log; later mutations fail. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    await this.#log.close();
  }

  #checkDeletionEnabled(): void {
    if (!this.#config.deleteTopicEnable) {
      throw new KafkaApiError(ErrorCode.TOPIC_DELETION_DISABLED, 'Topic deletion is disabled (delete.topic.enable=false).');
    }
  }

  async #delete(topic: TopicInfo): Promise<TopicInfo> {
    await this.#commit({ type: 'remove-topic', topicId: topic.topicId }, () => ({ kind: 'topic-deleted', topic }));
    return topic;
  }

  #serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#closed) throw new KafkaApiError(ErrorCode.UNKNOWN_SERVER_ERROR, 'The metadata store is closed.');
      return work();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Persists a record, then applies it and tells listeners. Call only inside #serialized. */
  async #commit(record: MetadataRecord, describe: (image: MetadataImage) => MetadataChange): Promise<void> {
    await this.#append(record);
    this.#image = applyRecord(this.#image, record);
    const change = describe(this.#image);
    for (const listener of this.#listeners) {
      try {
        listener(this.#image, change);
      } catch (err) {
        this.#logger.error(`metadata listener failed on ${change.kind}: ${String(err)}`);
      }
    }
  }

  async #append(record: MetadataRecord): Promise<void> {
    try {
      await this.#log.append(record);
    } catch (err) {
      this.#logger.error(`metadata log write failed: ${String(err)}`);
      throw new KafkaApiError(ErrorCode.UNKNOWN_SERVER_ERROR, `Metadata log write failed: ${String(err)}`);
    }
  }
}

function replay(start: MetadataImage, records: readonly MetadataRecord[], path: string): MetadataImage {
  if (records.length > 0) {
    const first = records[0];
    if (first.type !== 'header') throw new Error(`${path}: first record is not a header`);
    if (first.version > METADATA_LOG_VERSION) {
      throw new Error(`${path}: format version ${first.version} is newer than supported (${METADATA_LOG_VERSION})`);
    }
  }
  return records.reduce((image, record) => applyRecord(image, record), start);
}

/** This broker as other brokers and clients should see it (its advertised listeners). */
export function selfBrokerInfo(config: BrokerConfig): BrokerInfo {
  const endpoints = config.advertisedListeners.map((l) => ({
    listenerName: l.name,
    host: l.host,
    port: l.port,
    securityProtocol: l.securityProtocol,
  }));
  return { nodeId: config.nodeId, host: endpoints[0].host, port: endpoints[0].port, rack: config.rack, endpoints };
}

/**
 * The broker config this node would have with `configs` as the dynamic set of
 * `resourceName` must be valid (values, cross-key rules); INVALID_REQUEST otherwise, the
 * code Kafka answers for a rejected broker config change.
 */
function checkBrokerConfigs(config: BrokerConfig, image: MetadataImage, resourceName: string, configs: Readonly<Record<string, string>>): void {
  const layers = dynamicLayersOf(image, config.nodeId);
  const own = String(config.nodeId);
  try {
    if (resourceName === '') config.checkDynamic({ ...layers, dynamicDefault: configs });
    else if (resourceName === own) config.checkDynamic({ ...layers, dynamic: configs });
    else config.checkDynamic({ dynamic: configs });
  } catch (err) {
    if (err instanceof ConfigError) throw new KafkaApiError(ErrorCode.INVALID_REQUEST, err.message);
    throw err;
  }
}

function unknownTopic(name: string): KafkaApiError {
  return new KafkaApiError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
}
