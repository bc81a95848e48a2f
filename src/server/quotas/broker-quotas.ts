/**
 * BrokerQuotas: the client quotas a broker enforces, as Kafka's QuotaManagers for the
 * byte-rate types (KIP-13, KIP-55, KIP-219):
 *   - producer_byte_rate: the size of each Produce request (acks=0 included);
 *   - consumer_byte_rate: the size of each consumer Fetch response (follower fetches are
 *     not counted);
 *   - request_percentage (KIP-124): request handling time, as a percentage of one thread
 *     (request-quota.ts); its throttle time is capped at one quota window, as Kafka's.
 * Quotas are read from the metadata image on every request, so an AlterClientQuotas
 * change applies to the next request. The rate is measured over quota.window.num samples
 * of quota.window.size.seconds (Kafka's names and defaults, 11 x 1 s).
 *
 * A violation is answered at once with throttle_time_ms, and the connection is muted for
 * that long after the response is written (Kafka's channel throttling, which it applies to
 * every request version: older clients, which ignore throttle_time_ms, find their next
 * request held instead). The handler reports the mute through the request scope's
 * `throttleUntilMs`; the connection honours it.
 *
 * Without authentication every connection is Kafka's anonymous principal ("ANONYMOUS"),
 * so user quotas apply as to an unauthenticated PLAINTEXT listener in Kafka.
 */
import type { Clock } from '../../clock.ts';
import type { MetadataImage } from '../../cluster/metadata-image.ts';
import type { BrokerConfig } from '../../config/broker-config.ts';
import { requestScope } from '../../replication/request-scope.ts';
import type { RequestContext } from '../api-handler.ts';
import { ClientQuotaManager } from './client-quota-manager.ts';
import { ANONYMOUS_USER } from './quota-resolution.ts';
import type { SampleConfig } from './sampled-stat.ts';

export interface BrokerQuotasOptions {
  readonly samples: SampleConfig;
  /** The current metadata image (its clientQuotas). */
  readonly image: () => MetadataImage;
  readonly clock: Clock;
}

/** Kafka's NanosToPercentagePerSecond, per ms: 1 ms of handling is 0.1 %-second. */
const PERCENT_PER_MS = 0.1;

export class BrokerQuotas {
  readonly produce: ClientQuotaManager;
  readonly fetch: ClientQuotaManager;
  readonly request: ClientQuotaManager;
  readonly #image: () => MetadataImage;
  readonly #clock: Clock;

  constructor(opts: BrokerQuotasOptions) {
    this.produce = new ClientQuotaManager({ key: 'producer_byte_rate', samples: opts.samples });
    this.fetch = new ClientQuotaManager({ key: 'consumer_byte_rate', samples: opts.samples });
    this.request = new ClientQuotaManager({ key: 'request_percentage', samples: opts.samples, maxThrottleTimeMs: opts.samples.windowMs });
    this.#image = opts.image;
    this.#clock = opts.clock;
  }

  /** From the broker's quota.window.num and quota.window.size.seconds (read-only configs). */
  static forBroker(config: BrokerConfig, image: () => MetadataImage, clock: Clock): BrokerQuotas {
    const samples = { samples: config.getNumber('quota.window.num'), windowMs: config.getNumber('quota.window.size.seconds') * 1000 };
    return new BrokerQuotas({ samples, image, clock });
  }

  /** Records a Produce request of `requestBytes`; returns its throttle time (and mutes when > 0). */
  recordProduce(ctx: RequestContext, requestBytes: number): number {
    return this.#recordAndThrottle(this.produce, ctx, requestBytes);
  }

  /**
   * The most a consumer Fetch may return (Kafka caps fetch max bytes at what the quota
   * window allows, so a small quota cannot block a consumer for good); Infinity without one.
   */
  consumerFetchMaxBytes(ctx: RequestContext): number {
    this.fetch.update(this.#image().clientQuotas);
    return this.fetch.maxValueInQuotaWindow(ANONYMOUS_USER, clientIdOf(ctx));
  }

  /** True while some request_percentage quota is set (else handling time is not measured). */
  requestQuotasEnabled(): boolean {
    this.request.update(this.#image().clientQuotas);
    return this.request.enabled;
  }

  /** Records `handlerMs` of request handling time (request_percentage); returns its throttle time. */
  recordRequestTime(ctx: RequestContext, handlerMs: number): number {
    return this.#recordAndThrottle(this.request, ctx, handlerMs * PERCENT_PER_MS);
  }

  /**
   * Records a consumer Fetch: its handling time and its response of `responseBytes`;
   * returns the larger throttle time. A throttled Fetch is answered without data (Kafka's
   * getThrottledResponse), so its bytes are taken back.
   */
  recordConsumerFetch(ctx: RequestContext, responseBytes: number, handlerMs: number): number {
    const requestThrottleMs = this.recordRequestTime(ctx, handlerMs);
    const throttleMs = Math.max(this.#recordAndThrottle(this.fetch, ctx, responseBytes), requestThrottleMs);
    if (throttleMs > 0) this.fetch.unrecord(ANONYMOUS_USER, clientIdOf(ctx), responseBytes, this.#clock.now());
    return throttleMs;
  }

  #recordAndThrottle(manager: ClientQuotaManager, ctx: RequestContext, value: number): number {
    manager.update(this.#image().clientQuotas);
    if (!manager.enabled) return 0;
    const nowMs = this.#clock.now();
    const clientId = clientIdOf(ctx);
    const throttleMs = manager.recordAndGetThrottleTimeMs(ANONYMOUS_USER, clientId, value, nowMs);
    if (throttleMs > 0) {
      manager.recordThrottleTime(ANONYMOUS_USER, clientId, throttleMs, nowMs);
      muteConnectionUntil(nowMs + throttleMs);
    }
    return throttleMs;
  }
}

/** Tells the connection serving this request to read nothing more until `untilMs`. */
function muteConnectionUntil(untilMs: number): void {
  const scope = requestScope.getStore();
  if (scope !== undefined) scope.throttleUntilMs = Math.max(scope.throttleUntilMs, untilMs);
}

function clientIdOf(ctx: RequestContext): string {
  return ctx.clientId ?? '';
}
