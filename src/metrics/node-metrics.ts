/**
 * Node.js process metrics (event-loop delay percentiles, GC pause histogram, heap and
 * heap spaces, CPU, memory, handles) from prom-client's collectDefaultMetrics. They
 * describe the process, not a broker, and collectDefaultMetrics starts an event-loop
 * monitor and a GC observer that cannot be stopped; so there is one registry per process,
 * made on first use, and every broker's /metrics appends it.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Event-loop delay sampling resolution (prom-client's default is 10 ms). */
const EVENT_LOOP_MONITORING_PRECISION_MS = 10;

let processRegistry: Registry | null = null;

export function nodeProcessRegistry(): Registry {
  if (processRegistry === null) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: EVENT_LOOP_MONITORING_PRECISION_MS });
  }
  return processRegistry;
}
