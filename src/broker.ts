/**
 * startBroker: assembles one Gregor broker from its parts and runs it until stop().
 *
 * Start order (each step needs the previous ones):
 *   config -> metadata store (meta.properties, cluster id, metadata log replay)
 *   -> log manager (loads/recovers partition logs; each topic's LogConfig comes from the
 *      image) -> replica manager (applies the image now and after every metadata change,
 *      one application at a time, in commit order) -> API registry with every handler
 *   -> one TCP listener per `listeners` entry -> this broker registered in the metadata
 *      store with its advertised endpoints (bound ports filled in) -> "started" log line.
 * stop() undoes it in reverse: listeners (in-flight requests finish; at the same time the
 * replica manager closes, answering parked long polls), log manager (flush, checkpoints,
 * clean-shutdown marker), metadata store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from './clock.ts';
import type { Clock } from './clock.ts';
import { EmbeddedMetadataStore, METADATA_DIR_NAME } from './cluster/embedded-store.ts';
import type { BrokerEndpoint, BrokerInfo, MetadataImage } from './cluster/metadata-image.ts';
import type { MetadataStore } from './cluster/metadata-store.ts';
import { BrokerConfig } from './config/broker-config.ts';
import type { ListenerAddress } from './config/listeners.ts';
import { dynamicLayersOf } from './config/dynamic-broker-config.ts';
import { resolveLogConfig } from './config/topic-config.ts';
import { FileProducerIdBlockStore } from './coordinator/producer-id/producer-id-block-store.ts';
import { ProducerIdManager } from './coordinator/producer-id/producer-id-manager.ts';
import { GroupCoordinator } from './coordinator/group/group-coordinator.ts';
import { offsetsMarkerWritten } from './coordinator/group/txn-offsets.ts';
import { TransactionCoordinator } from './coordinator/txn/txn-coordinator.ts';
import { BrokerHttp } from './http/broker-http.ts';
import { componentLogger, createLogger, logWhileWaiting } from './logger.ts';
import { LOG_LEVELS } from './logger.ts';
import type { LogLevel, Logger } from './logger.ts';
import { BrokerMetrics } from './metrics/broker-metrics.ts';
import { registerQuotaMetrics } from './metrics/quota-metrics.ts';
import { GREGOR_VERSION } from './metrics/version.ts';
import { ReplicaManager } from './replication/replica-manager.ts';
import { LogManager } from './storage/log-manager.ts';
import { createApiVersionsHandler } from './server/apis/api-versions.ts';
import { createBrokerHandlers } from './server/apis/index.ts';
import type { BrokerServices } from './server/broker-services.ts';
import { startListener } from './server/listener.ts';
import type { Listener } from './server/listener.ts';
import { ApiRegistry } from './server/registry.ts';
import { BrokerQuotas } from './server/quotas/broker-quotas.ts';
import { withRequestQuota } from './server/quotas/request-quota.ts';

export interface StartBrokerOptions {
  /** Broker config as Kafka's server.properties keys; log.dirs defaults to a fresh temp dir. */
  config?: Record<string, string>;
  logger?: Logger;
  clock?: Clock;
  /**
   * Apply EMBEDDED_DEFAULTS (free ports on loopback) to keys not given; default true.
   * `gregor start` passes false: it has its own defaults (Kafka's fixed ports).
   */
  embedded?: boolean;
}

export interface RunningBroker {
  /** host:port of the first advertised listener, what clients bootstrap from. */
  readonly bootstrap: string;
  readonly host: string;
  readonly port: number;
  /** Every advertised listener, with the bound port where 0 was configured. */
  readonly endpoints: readonly BrokerEndpoint[];
  readonly config: BrokerConfig;
  readonly services: BrokerServices;
  /** Base URL of the admin HTTP server (/metrics, /health, /ready, /api, console); null when off. */
  readonly httpUrl: string | null;
  readonly metrics: BrokerMetrics;
  /** Graceful shutdown; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * What a broker started through this API uses unless told otherwise: free ports on
 * loopback for Kafka and admin HTTP, so tests and several brokers in one process never
 * collide. `gregor start` passes Kafka's fixed ports (9092, HTTP 8080) instead.
 */
export const EMBEDDED_DEFAULTS: Readonly<Record<string, string>> = {
  listeners: 'PLAINTEXT://127.0.0.1:0',
  'http.listener': '127.0.0.1:0',
};

/** Prefix of the temp log dir made when no log.dirs/log.dir is configured. */
const TEMP_LOG_DIR_PREFIX = 'gregor-';

export async function startBroker(opts: StartBrokerOptions = {}): Promise<RunningBroker> {
  // Embedded in someone's tests, only warnings by default; GREGOR_LOG_LEVEL=info shows start-up.
  const root = opts.logger ?? createLogger({ level: logLevelFromEnv() ?? 'warn' });
  const logger = componentLogger(root, 'broker');
  const clock = opts.clock ?? systemClock;
  const startedAtMs = clock.now();
  const defaults = opts.embedded === false ? {} : EMBEDDED_DEFAULTS;
  const { props, tempLogDir } = await withLogDir({ ...defaults, ...opts.config });
  const parts = new Parts(logger, tempLogDir);
  try {
    const config = BrokerConfig.from(props);
    for (const key of config.unusedKeys()) logger.warn({ key }, 'config key is accepted but not used by Gregor');
    logger.info({ nodeId: config.nodeId, logDirs: config.logDirs, version: GREGOR_VERSION }, `config loaded: node ${config.nodeId}, log dirs ${config.logDirs.join(',')}`);
    const http = await BrokerHttp.start(config, componentLogger(root, 'http'));
    if (http !== null) parts.add(() => http.close());
    http?.setPhase('loading metadata');
    const metadata = await EmbeddedMetadataStore.open({ config, logger: storeLogger(componentLogger(root, 'metadata')) });
    parts.add(() => metadata.close());
    followDynamicConfigs(metadata, config, logger, parts);
    logger.info({ logDirs: config.logDirs }, 'loading and recovering logs');
    http?.setPhase('recovering logs');
    const recovering = logWhileWaiting(logger, 'still loading and recovering logs');
    parts.add(async () => recovering.stop());
    const logs = await LogManager.open({
      logDirs: config.logDirs,
      clock,
      logger: componentLogger(root, 'storage'),
      configFor: (topic) => resolveLogConfig(config, metadata.image().topic(topic)?.configs ?? {}),
      recoveryThreadsPerDataDir: config.numRecoveryThreadsPerDataDir,
      checkpointIntervalMs: config.logFlushOffsetCheckpointIntervalMs,
      flushCheckIntervalMs: config.logFlushSchedulerIntervalMs,
      retentionCheckIntervalMs: config.logRetentionCheckIntervalMs,
      producerIdExpirationMs: config.producerIdExpirationMs,
      producerIdExpirationCheckIntervalMs: config.getNumber('producer.id.expiration.check.interval.ms'),
      cleaner: {
        enabled: config.logCleanerEnable,
        dedupeBufferBytes: config.getNumber('log.cleaner.dedupe.buffer.size'),
        dedupeLoadFactor: config.getNumber('log.cleaner.io.buffer.load.factor'),
        ioBufferBytes: config.getNumber('log.cleaner.io.buffer.size'),
        backoffMs: config.getNumber('log.cleaner.backoff.ms'),
      },
    });
    recovering.stop();
    parts.add(() => logs.close());
    logger.info({ partitions: logs.allLogs().length, ms: clock.now() - startedAtMs }, `logs ready: ${logs.allLogs().length} partition log(s)`);
    const replicas = new ReplicaManager({ nodeId: config.nodeId, logs, config, clock, logger: componentLogger(root, 'replication') });
    const closeReplicas = once(() => replicas.close());
    parts.add(closeReplicas);
    const applier = new ImageApplier(metadata, replicas, logger);
    parts.add(() => applier.close());
    await applier.start();
    // Loads the __consumer_offsets partitions this broker leads (and follows leadership).
    const groups = new GroupCoordinator({
      config, metadata, replicas, clock, logger: componentLogger(root, 'group-coordinator'), metadataApplied: () => applier.caughtUp(),
    });
    const closeGroups = once(() => groups.close());
    parts.add(closeGroups);
    await groups.start();
    const producerIds = new ProducerIdManager(await FileProducerIdBlockStore.open(join(config.logDirs[0], METADATA_DIR_NAME)));
    // Loads the __transaction_state partitions this broker leads and finishes commits a
    // crash interrupted; verifies transactional appends (KIP-890) from now on.
    const transactions = new TransactionCoordinator({
      config, metadata, replicas, clock, logger: componentLogger(root, 'txn-coordinator'), metadataApplied: () => applier.caughtUp(),
      generateProducerId: () => producerIds.generateProducerId(),
      offsetsPartitionFor: (groupId) => groups.runtime.partitionFor(groupId),
      onMarkerWritten: (p, m) => offsetsMarkerWritten(groups.runtime, p.topic, p.partition, m.producerId, m.commit),
    });
    const closeTransactions = once(() => transactions.close());
    parts.add(closeTransactions);
    replicas.transactionVerifier = transactions;
    await transactions.start();
    const services: BrokerServices = {
      nodeId: config.nodeId, config, metadata, logs, replicas, clock, logger: root,
      producerIds,
      groups,
      transactions,
      quotas: BrokerQuotas.forBroker(config, () => metadata.image(), clock),
      metadataApplied: () => applier.caughtUp(),
    };
    const metrics = new BrokerMetrics({
      nodeId: config.nodeId, clusterId: metadata.image().clusterId, version: GREGOR_VERSION, replicas, metadata, clock,
      enabled: config.getBoolean('metrics.enabled'),
    });
    registerQuotaMetrics(metrics.registry, services.quotas, clock);
    http?.attach(services, metrics, startedAtMs);
    http?.setPhase('starting listeners');
    const listeners = await startListeners(config, services, root, clock, parts, metrics);
    // Runs first on stop: listeners stop taking connections and drain while the replica
    // manager answers parked fetches/produces and the group coordinator parked
    // JoinGroup/SyncGroup requests at once, so no drain waits out a long poll or a rebalance.
    parts.add(async () => {
      await Promise.all([...listeners.map((l) => l.close()), closeReplicas(), closeGroups(), closeTransactions()]);
    });
    const self = await advertisedSelf(config, listeners, logger);
    await metadata.registerBroker(self);
    const broker = runningBroker(config, services, self, parts, { httpUrl: http?.url ?? null, metrics });
    http?.ready();
    logger.info({ bootstrap: broker.bootstrap, http: broker.httpUrl, nodeId: config.nodeId, clusterId: metadata.image().clusterId, ms: clock.now() - startedAtMs },
      `Gregor broker ${config.nodeId} started; clients bootstrap from ${broker.bootstrap}${broker.httpUrl === null ? '' : `; metrics and console at ${broker.httpUrl}`}`);
    return broker;
  } catch (err) {
    await parts.stop();
    throw err;
  }
}

/**
 * Keeps the broker config's dynamic layers equal to the metadata's dynamic broker configs:
 * now (before the logs open, so they start with them) and synchronously on every change,
 * before the replica manager re-applies the image (which pushes the new values into every
 * log without a topic override).
 */
function followDynamicConfigs(metadata: MetadataStore, config: BrokerConfig, logger: Logger, parts: Parts): void {
  const apply = (image: MetadataImage): void => {
    try {
      config.setDynamic(dynamicLayersOf(image, config.nodeId));
    } catch (err) {
      logger.error({ err }, 'dynamic broker configs in the metadata are invalid; keeping the previous ones');
    }
  };
  apply(metadata.image());
  const unsubscribe = metadata.onChange(apply);
  parts.add(async () => unsubscribe());
}

/** Without log.dirs / log.dir, an embedded broker gets its own temp dir (removed on stop). */
async function withLogDir(config: Record<string, string>): Promise<{ props: Record<string, string>; tempLogDir: string | null }> {
  if (config['log.dirs'] !== undefined || config['log.dir'] !== undefined) return { props: config, tempLogDir: null };
  const tempLogDir = await mkdtemp(join(tmpdir(), TEMP_LOG_DIR_PREFIX));
  return { props: { ...config, 'log.dirs': tempLogDir }, tempLogDir };
}

/**
 * Started parts in start order; stop() closes them in reverse, each once, logging (not
 * throwing) a part's failure so the others still close.
 */
class Parts {
  readonly #closers: (() => Promise<void>)[] = [];
  readonly #logger: Logger;
  readonly #tempLogDir: string | null;
  #stopping: Promise<void> | null = null;

  constructor(logger: Logger, tempLogDir: string | null) {
    this.#logger = logger;
    this.#tempLogDir = tempLogDir;
  }

  add(closer: () => Promise<void>): void {
    this.#closers.push(closer);
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    for (const closer of this.#closers.reverse()) {
      try {
        await closer();
      } catch (err) {
        this.#logger.error({ err }, 'failed to stop a broker component');
      }
    }
    if (this.#tempLogDir !== null) await rm(this.#tempLogDir, { recursive: true, force: true });
  }
}

/**
 * Feeds metadata images to the replica manager: the current one at start, then the image
 * after every change, strictly one at a time and in commit order (each application waits
 * for the previous one). A failed application is logged; the next change applies the
 * then-current image, which includes everything missed.
 */
class ImageApplier {
  readonly #metadata: MetadataStore;
  readonly #replicas: ReplicaManager;
  readonly #logger: Logger;
  #tail: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void) | null = null;

  constructor(metadata: MetadataStore, replicas: ReplicaManager, logger: Logger) {
    this.#metadata = metadata;
    this.#replicas = replicas;
    this.#logger = logger;
  }

  async start(): Promise<void> {
    this.#unsubscribe = this.#metadata.onChange((image) => this.#enqueue(image));
    this.#enqueue(this.#metadata.image());
    await this.#tail;
  }

  /** Resolves when every change committed so far has been applied. */
  caughtUp(): Promise<void> {
    return this.#tail;
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
    await this.#tail;
  }

  #enqueue(image: MetadataImage): void {
    this.#tail = this.#tail.then(() =>
      this.#replicas.applyImage(image).catch((err: unknown) => {
        this.#logger.error({ err, imageVersion: image.version }, 'applying metadata to the replica manager failed');
      }),
    );
  }
}

async function startListeners(
  config: BrokerConfig, services: BrokerServices, root: Logger, clock: Clock, parts: Parts, metrics: BrokerMetrics,
): Promise<Listener[]> {
  const registry = new ApiRegistry();
  for (const handler of createBrokerHandlers(services)) registry.register(withRequestQuota(handler, services.quotas));
  registry.register(createApiVersionsHandler(registry));
  const listeners: Listener[] = [];
  for (const address of config.listeners) {
    const listener = await startListener({
      name: address.name,
      host: address.host,
      port: address.port,
      registry,
      stats: metrics.serverStats,
      observer: metrics.requestObserver,
      logger: root,
      clock,
      requestBytesMax: config.socketRequestMaxBytes,
      queuedMaxRequests: config.queuedMaxRequests,
      maxConnections: config.maxConnections,
      maxConnectionsPerIp: config.maxConnectionsPerIp,
      connectionsMaxIdleMs: config.connectionsMaxIdleMs,
    });
    parts.add(() => listener.close());
    listeners.push(listener);
  }
  return listeners;
}

/**
 * This broker's registration: config.advertisedListeners with port 0 replaced by the port
 * actually bound for that listener name.
 *
 * Host: an explicit advertised host is used as given. An empty listener host (bind every
 * interface) is advertised as this machine's host name, as Kafka does (BrokerConfig fills
 * it in), so remote clients can reach it. Clients follow the advertised address, so if
 * that name does not resolve here (containers often lack it), even local clients would
 * fail after bootstrap; then we advertise "localhost" instead and say so in the log.
 */
async function advertisedSelf(config: BrokerConfig, listeners: readonly Listener[], logger: Logger): Promise<BrokerInfo> {
  const endpoints: BrokerEndpoint[] = [];
  for (const address of config.advertisedListeners) {
    const bound = listeners.find((l) => l.name === address.name);
    const port = address.port === 0 && bound !== undefined ? bound.port : address.port;
    const host = await reachableHost(config, address, logger);
    endpoints.push({ listenerName: address.name, host, port, securityProtocol: address.securityProtocol });
  }
  return { nodeId: config.nodeId, host: endpoints[0].host, port: endpoints[0].port, rack: config.rack, endpoints };
}

async function reachableHost(config: BrokerConfig, address: ListenerAddress, logger: Logger): Promise<string> {
  const fromEmptyBindHost = !config.isSet('advertised.listeners')
    && config.listeners.some((l) => l.name === address.name && l.host === '');
  if (!fromEmptyBindHost) return address.host;
  try {
    await lookup(address.host);
    return address.host;
  } catch {
    logger.warn({ listener: address.name, hostname: address.host }, 'host name does not resolve; advertising localhost');
    return 'localhost';
  }
}

function runningBroker(
  config: BrokerConfig, services: BrokerServices, self: BrokerInfo, parts: Parts, extras: Pick<RunningBroker, 'httpUrl' | 'metrics'>,
): RunningBroker {
  const bootstrapHost = self.host.includes(':') ? `[${self.host}]` : self.host;
  return {
    bootstrap: `${bootstrapHost}:${self.port}`,
    host: self.host,
    port: self.port,
    endpoints: self.endpoints,
    config,
    services,
    ...extras,
    stop: async () => {
      services.logger.info({ nodeId: config.nodeId }, 'stopping broker');
      await parts.stop();
      services.logger.info({ nodeId: config.nodeId }, 'broker stopped');
    },
  };
}

function logLevelFromEnv(): LogLevel | undefined {
  const level = process.env.GREGOR_LOG_LEVEL;
  return LOG_LEVELS.find((l) => l === level);
}

/** `fn` run at most once; later calls get the first call's promise. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => (running ??= fn());
}

/** The embedded store logs plain strings; route them to a pino child. */
function storeLogger(logger: Logger): { info(m: string): void; warn(m: string): void; error(m: string): void } {
  return { info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) };
}
