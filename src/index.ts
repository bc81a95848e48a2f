/**
 * Gregor's public API (`import { startBroker } from 'gregor'`, through index.js): start an
 * embedded, Kafka-compatible broker in this process.
 *
 *   const broker = await startBroker();        // free port on 127.0.0.1, temp data dir
 *   // point any Kafka client at broker.bootstrap; metrics/console at broker.httpUrl
 *   await broker.stop();                        // also deletes the temp data dir
 *
 * Any broker config by its Kafka key: startBroker({ config: { 'num.partitions': '3' } }).
 * When this list changes, change index.js's named exports too.
 */
export { startBroker } from './broker.ts';
export type { RunningBroker, StartBrokerOptions } from './broker.ts';
export type { BrokerServices } from './server/broker-services.ts';
export type { BrokerEndpoint } from './cluster/metadata-image.ts';
export { BrokerConfig } from './config/broker-config.ts';
export { ConfigError } from './config/config-error.ts';
export { createLogger } from './logger.ts';
export type { Logger, LoggerOptions, LogLevel } from './logger.ts';
export { ManualClock, systemClock } from './clock.ts';
export type { Clock } from './clock.ts';
