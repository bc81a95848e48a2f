/**
 * Gregor's public API: start an embedded, Kafka-compatible broker in this process.
 *
 *   const broker = await startBroker({ config: { listeners: 'PLAINTEXT://127.0.0.1:0' } });
 *   // point any Kafka client at broker.bootstrap
 *   await broker.stop();
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
