/**
 * Request metrics (Kafka's kafka.network:type=RequestMetrics): requests per API and
 * version, and latency histograms per API split as Kafka splits them (queue, local,
 * remote, response send, total). Implements the server's RequestObserver; one call per
 * request: a map lookup, five array increments.
 */
import type { Registry } from 'prom-client';
import { apiByKey } from '../protocol/generated/api-table.ts';
import type { RequestObserver, RequestTiming } from '../server/request-observer.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import { registerSnapshot } from './snapshot-metric.ts';
import type { SampleValue } from './snapshot-metric.ts';

const PREFIX = 'kafka_network_requestmetrics';

export class RequestMetrics implements RequestObserver {
  /** Requests completed, by API key then version. */
  readonly #counts = new Map<number, number[]>();
  readonly #queue = new LatencyHistogram('request');
  readonly #local = new LatencyHistogram('request');
  readonly #remote = new LatencyHistogram('request');
  readonly #send = new LatencyHistogram('request');
  readonly #total = new LatencyHistogram('request');
  #requestsTotal = 0;

  requestCompleted(apiKey: number, apiVersion: number, timing: RequestTiming): void {
    let byVersion = this.#counts.get(apiKey);
    if (byVersion === undefined) {
      byVersion = [];
      this.#counts.set(apiKey, byVersion);
    }
    byVersion[apiVersion] = (byVersion[apiVersion] ?? 0) + 1;
    this.#requestsTotal += 1;
    const api = apiByKey.get(apiKey)?.name ?? String(apiKey);
    this.#queue.observe(api, timing.queueMs);
    this.#local.observe(api, timing.localMs);
    this.#remote.observe(api, timing.remoteMs);
    this.#send.observe(api, timing.sendMs);
    this.#total.observe(api, timing.queueMs + timing.localMs + timing.remoteMs + timing.sendMs);
  }

  /** Requests completed since start, every API (for rates). */
  get requestsTotal(): number {
    return this.#requestsTotal;
  }

  register(registry: Registry): void {
    registerSnapshot(registry, {
      name: `${PREFIX}_requests_total`, type: 'counter',
      help: 'Requests completed, by API (request) and version (Kafka RequestMetrics RequestsPerSec).',
      values: () => this.#countSamples(),
    });
    const histograms: [string, LatencyHistogram, string][] = [
      ['requestqueuetimems', this.#queue, 'waiting in the connection queue before dispatch'],
      ['localtimems', this.#local, 'being processed by the handler'],
      ['remotetimems', this.#remote, 'parked in the purgatory (acks=all produce, long-poll fetch)'],
      ['responsesendtimems', this.#send, 'writing the response to the socket'],
      ['totaltimems', this.#total, 'in total'],
    ];
    for (const [suffix, histogram, what] of histograms) {
      const name = `${PREFIX}_${suffix}`;
      registerSnapshot(registry, {
        name, type: 'histogram', help: `Milliseconds a request spent ${what}, by API.`,
        values: () => histogram.samples(name),
      });
    }
  }

  #countSamples(): SampleValue[] {
    const out: SampleValue[] = [];
    for (const [apiKey, byVersion] of this.#counts) {
      const request = apiByKey.get(apiKey)?.name ?? String(apiKey);
      byVersion.forEach((value, version) => {
        if (value !== undefined) out.push({ labels: { request, version }, value });
      });
    }
    return out;
  }
}
