/**
 * Live charts of the broker's traffic from GET api/metrics/series: messages in/s and bytes
 * in/out per second, re-polled every sampling interval.
 */
import { gregor } from '../api/endpoints.ts';
import type { MetricsSeriesResponse } from '../api/endpoints.ts';
import { formatBytes, formatCompact } from '../lib/format.ts';
import { useResource } from '../lib/use-resource.ts';
import { LineChart } from './line-chart.tsx';
import type { Series } from './line-chart.tsx';
import { ErrorBanner, NotAvailable, isNotAvailable } from './status.tsx';

/** The broker samples every 5 s (docs/HTTP-API.md); polling faster would only repeat samples. */
const SERIES_POLL_MS = 5000;

export function useMetricsSeries() {
  return useResource(gregor.metricsSeries, [], SERIES_POLL_MS);
}

export function pick(series: MetricsSeriesResponse | undefined, name: string, color: string, value: (s: MetricsSeriesResponse['samples'][number]) => number | undefined): Series {
  const points: [number, number][] = [];
  for (const s of series?.samples ?? []) {
    const v = value(s);
    if (v !== undefined) points.push([s.time, v]);
  }
  return { name, color, points };
}

export function ThroughputCharts() {
  const res = useMetricsSeries();
  if (isNotAvailable(res.error)) return <NotAvailable feature="Metrics history" />;
  const data = res.data;
  return (
    <>
      {res.error !== undefined && data === undefined && <ErrorBanner error={res.error} onRetry={res.reload} />}
      <div class="grid charts">
        <LineChart
          title="Messages in"
          format={(v) => `${formatCompact(v)}/s`}
          series={[pick(data, 'in', 'var(--series-1)', (s) => s.messagesInPerSec)]}
        />
        <LineChart
          title="Bytes in / out"
          format={(v) => `${formatBytes(v)}/s`}
          series={[pick(data, 'in', 'var(--series-1)', (s) => s.bytesInPerSec), pick(data, 'out', 'var(--series-2)', (s) => s.bytesOutPerSec)]}
        />
      </div>
    </>
  );
}
