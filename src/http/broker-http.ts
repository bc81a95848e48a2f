/**
 * The broker's admin HTTP side, as src/broker.ts wires it: starts the AdminServer on
 * `http.listener` (none when it is empty; when the default address is taken, a warning
 * and none) early in start-up, then `attach()` gives it the
 * broker's services and metrics (JSON API, /metrics, the metrics series sampler), and
 * `ready()` flips /ready once listeners are up.
 */
import type { BrokerConfig } from '../config/broker-config.ts';
import type { Logger } from '../logger.ts';
import type { BrokerMetrics } from '../metrics/broker-metrics.ts';
import type { BrokerServices } from '../server/broker-services.ts';
import { AdminServer } from './admin-server.ts';
import { apiRoutes } from './api/index.ts';
import { groupLagTotals, registerGroupLag } from './group-lag.ts';
import { CONSOLE_DIST_DIR } from './static-files.ts';

export class BrokerHttp {
  readonly #server: AdminServer;
  readonly #logger: Logger;
  #metrics: BrokerMetrics | null = null;

  private constructor(server: AdminServer, logger: Logger) {
    this.#server = server;
    this.#logger = logger;
  }

  /** Null when http.listener is empty (admin HTTP off). */
  static async start(config: BrokerConfig, logger: Logger): Promise<BrokerHttp | null> {
    const address = config.httpListener;
    if (address === null) {
      logger.info('admin HTTP is off (http.listener is empty)');
      return null;
    }
    let server: AdminServer;
    try {
      server = await AdminServer.start({ host: address.host, port: address.port, consoleDir: CONSOLE_DIST_DIR, logger });
    } catch (err) {
      // The quick-start default port is best effort (another broker or app may hold it);
      // an address the operator configured must bind, or start-up fails.
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || config.isSet('http.listener')) throw err;
      logger.warn({ host: address.host, port: address.port },
        `admin HTTP is off: ${address.host}:${address.port} is in use; set http.listener=host:port to use another address`);
      return null;
    }
    logger.info({ url: server.url }, `admin HTTP listening on ${server.url} (/metrics, /health, /ready, /api, console)`);
    return new BrokerHttp(server, logger);
  }

  get url(): string {
    return this.#server.url;
  }

  get port(): number {
    return this.#server.port;
  }

  attach(services: BrokerServices, metrics: BrokerMetrics, startedAtMs: number): void {
    this.#metrics = metrics;
    const ctx = { services, series: metrics.series, startedAtMs };
    registerGroupLag(metrics.registry, services);
    metrics.series.setGroupLagSource(() => groupLagTotals(services));
    metrics.series.start();
    this.#server.serve(apiRoutes(ctx), async () => ({
      contentType: metrics.contentType,
      body: await metrics.render(),
    }));
  }

  /** The start-up phase /ready reports until ready(). */
  setPhase(phase: string): void {
    this.#server.setPhase(phase);
  }

  /** Listeners are up: /ready answers 200. */
  ready(): void {
    this.#server.setReady();
  }

  async close(): Promise<void> {
    this.#metrics?.close();
    await this.#server.close();
    this.#logger.info('admin HTTP closed');
  }
}
