/**
 * Definitions of the broker (server.properties) keys Gregor knows: Kafka's names, types,
 * defaults (Apache Kafka 4.0) and validation, plus Gregor's own keys (http.listener,
 * etcd.endpoints, cluster.id). Keys marked `unused` are accepted so a Kafka
 * server.properties works unchanged, but Gregor does not act on them (logged at start-up).
 * Group, transaction and replication keys live in broker-config-defs-coordination.ts, SASL
 * keys in broker-config-defs-security.ts.
 */
import type { ConfigDef } from './config-types.ts';
import { COORDINATION_CONFIG_DEFS } from './broker-config-defs-coordination.ts';
import { SECURITY_CONFIG_DEFS } from './broker-config-defs-security.ts';
import { define, INT_MAX, LONG_MAX } from './define.ts';
import { atLeast, between, listOf, oneOf } from './config-values.ts';

export const COMPRESSION_TYPES = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] as const;
export const TIMESTAMP_TYPES = ['CreateTime', 'LogAppendTime'] as const;
export const CLEANUP_POLICIES = ['compact', 'delete'] as const;

/** gzip level: -1 (zlib default) or 1..9. */
const gzipLevel = (v: unknown) =>
  v === -1 || (typeof v === 'number' && v >= 1 && v <= 9) ? null : 'must be -1 or in [1, 9]';

const SERVER_DEFS: readonly ConfigDef[] = [
  define('node.id', 'INT', '-1', atLeast(-1), 'Id of this node in the cluster. Unset (-1) falls back to broker.id, then to 1 for a single node.'),
  define('broker.id', 'INT', '-1', atLeast(-1), 'Older name of node.id; if both are set they must agree.'),
  define('cluster.id', 'STRING', null, undefined, 'Gregor: expected cluster id. Unset: taken from meta.properties, or generated on first start.'),
  define('etcd.endpoints', 'LIST', '', undefined, 'Gregor: comma-separated etcd endpoints for the metadata store; empty runs the embedded single-node store.'),
  define('http.listener', 'STRING', '127.0.0.1:8080', undefined, 'Gregor: host:port of the admin HTTP server (metrics, health, console); empty disables it.'),
  define('metrics.enabled', 'BOOLEAN', 'true', undefined, 'Gregor: count requests and topic traffic for /metrics and the console; false turns those hooks into no-ops (their series stay 0).'),
  define('broker.rack', 'STRING', null, undefined, 'Rack (failure domain) of this broker, used for rack-aware replica placement.'),
  define('process.roles', 'LIST', '', listOf(['broker', 'controller']), 'Roles of a KRaft node; Gregor is always a broker and ignores this.', { unused: true }),
  define('controller.quorum.voters', 'LIST', '', undefined, 'KRaft controller quorum; Gregor uses etcd instead and ignores this.', { unused: true }),
  define('controller.quorum.bootstrap.servers', 'LIST', '', undefined, 'KRaft controller bootstrap; ignored by Gregor.', { unused: true }),
  define('controller.listener.names', 'STRING', null, undefined, 'KRaft controller listener names; Gregor has no controller listener and leaves these listeners out.', { unused: true }),
  define('metadata.log.dir', 'STRING', null, undefined, 'KRaft metadata log directory; Gregor keeps metadata in the first log dir and ignores this.', { unused: true }),
  define('log.dirs', 'STRING', null, undefined, 'Comma-separated directories holding partition data; overrides log.dir.'),
  define('log.dir', 'STRING', '/tmp/kafka-logs', undefined, 'Single data directory, used when log.dirs is unset.'),
  define('num.recovery.threads.per.data.dir', 'INT', '2', atLeast(1), 'Parallelism of log recovery at start-up and flush at shutdown, per data directory.'),
  define('auto.create.topics.enable', 'BOOLEAN', 'true', undefined, 'Create a topic with default settings when a client asks for metadata of a topic that does not exist.'),
  define('delete.topic.enable', 'BOOLEAN', 'true', undefined, 'Allow topics to be deleted; when false DeleteTopics fails with TOPIC_DELETION_DISABLED.'),
  define('auto.leader.rebalance.enable', 'BOOLEAN', 'true', undefined, 'Move leadership back to preferred replicas periodically.', { unused: true }),
  define('num.partitions', 'INT', '1', atLeast(1), 'Partition count of topics created without an explicit count.'),
  define('default.replication.factor', 'INT', '1', atLeast(1), 'Replication factor of topics created without an explicit factor.'),
  define('min.insync.replicas', 'INT', '1', atLeast(1), 'Replicas that must acknowledge an acks=all write; fewer in sync gives NOT_ENOUGH_REPLICAS.'),
  define('unclean.leader.election.enable', 'BOOLEAN', 'false', undefined, 'Allow an out-of-sync replica to become leader when no in-sync one is left (may lose data).'),
  define('compression.type', 'STRING', 'producer', oneOf(COMPRESSION_TYPES), "Final compression codec of stored batches; 'producer' keeps the producer's codec."),
  define('compression.gzip.level', 'INT', '-1', gzipLevel, 'gzip level used when the broker compresses.'),
  define('compression.lz4.level', 'INT', '9', between(1, 17), 'lz4 level used when the broker compresses.'),
  define('compression.zstd.level', 'INT', '3', between(-131072, 22), 'zstd level used when the broker compresses.'),
  define('message.max.bytes', 'INT', '1048588', atLeast(0), 'Largest record batch (after compression) the broker accepts; topic synonym max.message.bytes.'),
  define('fetch.max.bytes', 'INT', '57671680', atLeast(1024), 'Upper bound on the bytes returned by one fetch request.'),
  define('create.topic.policy.class.name', 'CLASS', null, undefined, 'Java policy class validating topic creation; not supported by Gregor.', { unused: true }),
  define('alter.config.policy.class.name', 'CLASS', null, undefined, 'Java policy class validating config changes; not supported by Gregor.', { unused: true }),
];

const NETWORK_DEFS: readonly ConfigDef[] = [
  define('listeners', 'STRING', 'PLAINTEXT://:9092', undefined, 'Comma-separated NAME://host:port addresses to listen on; an empty host binds every interface.'),
  define('advertised.listeners', 'STRING', null, undefined, 'Addresses given to clients in metadata, if different from listeners.'),
  define('listener.security.protocol.map', 'STRING', 'SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT', undefined, 'Maps each listener name to its security protocol.'),
  define('inter.broker.listener.name', 'STRING', null, undefined, 'Listener other brokers use to reach this one.'),
  define('security.inter.broker.protocol', 'STRING', 'PLAINTEXT', oneOf(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']), 'Security protocol between brokers when inter.broker.listener.name is unset.'),
  define('socket.request.max.bytes', 'INT', '104857600', atLeast(1), 'Largest request frame accepted; a bigger size prefix closes the connection.'),
  define('socket.send.buffer.bytes', 'INT', '102400', undefined, 'SO_SNDBUF of client sockets; -1 keeps the OS default.'),
  define('socket.receive.buffer.bytes', 'INT', '102400', undefined, 'SO_RCVBUF of client sockets; -1 keeps the OS default.'),
  define('socket.listen.backlog.size', 'INT', '50', atLeast(1), 'Pending-connection backlog of each listening socket.'),
  define('max.connections', 'INT', INT_MAX, atLeast(0), 'Most client connections the broker keeps open at once.'),
  define('max.connections.per.ip', 'INT', INT_MAX, atLeast(0), 'Most connections accepted from one IP address.'),
  define('max.connections.per.ip.overrides', 'STRING', '', undefined, 'Per-host exceptions to max.connections.per.ip, as host:count pairs.'),
  define('max.connection.creation.rate', 'INT', INT_MAX, atLeast(0), 'Most new connections per second.', { unused: true }),
  define('quota.window.num', 'INT', '11', atLeast(1), 'Samples over which client quota rates (producer_byte_rate, consumer_byte_rate) are measured.'),
  define('quota.window.size.seconds', 'INT', '1', atLeast(1), 'Time span of each client quota sample.'),
  define('client.quota.callback.class', 'CLASS', null, undefined, 'Java class computing client quotas; Gregor applies Kafka\'s default rules and ignores this.', { unused: true }),
  define('connections.max.idle.ms', 'LONG', '600000', undefined, 'Close a connection after this long without traffic.'),
  define('connections.max.reauth.ms', 'LONG', '0', undefined, 'Session lifetime for SASL re-authentication; 0 disables.', { unused: true }),
  define('queued.max.requests', 'INT', '500', atLeast(1), 'Requests that may wait for processing before the broker stops reading from sockets.'),
  define('queued.max.request.bytes', 'LONG', '-1', undefined, 'Bytes of queued requests before reading stops; -1 means no byte limit.'),
  define('num.network.threads', 'INT', '3', atLeast(1), 'Kafka network threads; Gregor runs one event loop and only logs this.', { unused: true }),
  define('num.io.threads', 'INT', '8', atLeast(1), 'Kafka request handler threads; Gregor runs one event loop and only logs this.', { unused: true }),
  define('background.threads', 'INT', '10', atLeast(1), 'Kafka background threads; unused by Gregor.', { unused: true }),
  define('metric.reporters', 'LIST', '', undefined, 'Java metrics reporter classes; Gregor exports Prometheus metrics instead.', { unused: true }),
  define('authorizer.class.name', 'STRING', '', undefined, 'Java authorizer class; not supported yet.', { unused: true }),
  define('super.users', 'STRING', null, undefined, 'Principals allowed every operation; not supported yet.', { unused: true }),
];

const LOG_DEFS: readonly ConfigDef[] = [
  define('log.segment.bytes', 'INT', '1073741824', atLeast(1024 * 1024), 'Size at which a partition rolls to a new segment file.'),
  define('log.roll.ms', 'LONG', null, atLeast(1), 'Age (ms) at which a segment is rolled; overrides log.roll.hours.'),
  define('log.roll.hours', 'INT', '168', atLeast(1), 'Age (hours) at which a segment is rolled.'),
  define('log.roll.jitter.ms', 'LONG', null, atLeast(0), 'Largest random amount (ms) subtracted from the roll time; overrides log.roll.jitter.hours.'),
  define('log.roll.jitter.hours', 'INT', '0', atLeast(0), 'Largest random amount (hours) subtracted from the roll time.'),
  define('log.index.interval.bytes', 'INT', '4096', atLeast(0), 'Bytes of log between two offset-index entries.'),
  define('log.index.size.max.bytes', 'INT', '10485760', atLeast(4), 'Size of the offset and time index files of a segment.'),
  define('log.flush.interval.messages', 'LONG', LONG_MAX, atLeast(1), 'fsync a partition after this many appended messages.'),
  define('log.flush.interval.ms', 'LONG', null, undefined, 'fsync a partition when its unflushed data is this old; falls back to log.flush.scheduler.interval.ms.'),
  define('log.flush.scheduler.interval.ms', 'LONG', LONG_MAX, undefined, 'How often the flusher checks whether a partition needs an fsync.'),
  define('log.flush.offset.checkpoint.interval.ms', 'INT', '60000', atLeast(0), 'How often the recovery-point checkpoint is written.'),
  define('log.flush.start.offset.checkpoint.interval.ms', 'INT', '60000', atLeast(0), 'How often the log-start-offset checkpoint is written.'),
  define('log.retention.ms', 'LONG', null, undefined, 'Keep data this long (ms); -1 keeps forever. Overrides log.retention.minutes and .hours.'),
  define('log.retention.minutes', 'INT', null, undefined, 'Keep data this many minutes; overrides log.retention.hours.'),
  define('log.retention.hours', 'INT', '168', undefined, 'Keep data this many hours.'),
  define('log.retention.bytes', 'LONG', '-1', undefined, 'Delete old segments while a partition is larger than this; -1 means no size limit.'),
  define('log.retention.check.interval.ms', 'LONG', '300000', atLeast(1), 'How often retention is enforced.'),
  define('log.segment.delete.delay.ms', 'LONG', '60000', atLeast(0), 'Delay between marking a segment deleted and removing its files.'),
  define('log.cleanup.policy', 'LIST', 'delete', listOf(CLEANUP_POLICIES), "What happens to old segments: 'delete', 'compact', or both."),
  define('log.cleaner.enable', 'BOOLEAN', 'true', undefined, 'Run the log cleaner (needed by compacted topics, including __consumer_offsets).'),
  define('log.cleaner.threads', 'INT', '1', atLeast(0), 'Concurrent log cleaning tasks.'),
  define('log.cleaner.io.max.bytes.per.second', 'DOUBLE', '1.7976931348623157E308', undefined, 'Throttle for cleaner read+write I/O.'),
  define('log.cleaner.dedupe.buffer.size', 'LONG', '134217728', undefined, 'Memory for the cleaner key-to-offset map.'),
  define('log.cleaner.io.buffer.size', 'INT', '524288', atLeast(0), 'Memory for cleaner I/O buffers.'),
  define('log.cleaner.io.buffer.load.factor', 'DOUBLE', '0.9', undefined, 'Fill ratio of the cleaner dedupe map.'),
  define('log.cleaner.backoff.ms', 'LONG', '15000', atLeast(0), 'Sleep of the cleaner when nothing is cleanable.'),
  define('log.cleaner.min.cleanable.ratio', 'DOUBLE', '0.5', between(0, 1), 'Dirty/total ratio that makes a log eligible for cleaning.'),
  define('log.cleaner.delete.retention.ms', 'LONG', '86400000', atLeast(0), 'How long tombstones are kept in compacted topics.'),
  define('log.cleaner.min.compaction.lag.ms', 'LONG', '0', atLeast(0), 'Records younger than this are not compacted.'),
  define('log.cleaner.max.compaction.lag.ms', 'LONG', LONG_MAX, atLeast(1), 'Records older than this make a log eligible for compaction regardless of the ratio.'),
  define('log.preallocate', 'BOOLEAN', 'false', undefined, 'Preallocate segment files when rolling.'),
  define('log.message.timestamp.type', 'STRING', 'CreateTime', oneOf(TIMESTAMP_TYPES), 'Whether record timestamps are the producer\'s (CreateTime) or the broker\'s (LogAppendTime).'),
  define('log.message.timestamp.before.max.ms', 'LONG', LONG_MAX, atLeast(0), 'How far in the past a CreateTime may be before the batch is rejected.'),
  define('log.message.timestamp.after.max.ms', 'LONG', '3600000', atLeast(0), 'How far in the future a CreateTime may be before the batch is rejected.'),
  define('log.message.downconversion.enable', 'BOOLEAN', 'true', undefined, 'Convert batches to the old message format for old fetch versions.'),
  define('log.local.retention.ms', 'LONG', '-2', atLeast(-2), 'Tiered storage local retention; Gregor has no tiered storage.', { unused: true }),
  define('log.local.retention.bytes', 'LONG', '-2', atLeast(-2), 'Tiered storage local retention; Gregor has no tiered storage.', { unused: true }),
];

/** Every broker key Gregor knows, by name. */
export const BROKER_CONFIG_DEFS: ReadonlyMap<string, ConfigDef> = new Map(
  [...SERVER_DEFS, ...SECURITY_CONFIG_DEFS, ...NETWORK_DEFS, ...LOG_DEFS, ...COORDINATION_CONFIG_DEFS].map((d) => [d.name, d]),
);

/**
 * Broker keys that stand for one setting in different units, most specific first, with the
 * factor that converts each to the first key's unit. The first one set wins (as in Kafka).
 */
export const BROKER_SYNONYM_GROUPS: readonly (readonly { name: string; factor: number }[])[] = [
  [{ name: 'log.roll.ms', factor: 1 }, { name: 'log.roll.hours', factor: 3_600_000 }],
  [{ name: 'log.roll.jitter.ms', factor: 1 }, { name: 'log.roll.jitter.hours', factor: 3_600_000 }],
  [
    { name: 'log.retention.ms', factor: 1 },
    { name: 'log.retention.minutes', factor: 60_000 },
    { name: 'log.retention.hours', factor: 3_600_000 },
  ],
  [{ name: 'log.flush.interval.ms', factor: 1 }, { name: 'log.flush.scheduler.interval.ms', factor: 1 }],
  [{ name: 'log.dirs', factor: 1 }, { name: 'log.dir', factor: 1 }],
];
