/**
 * Live total lag of consumer groups. The broker samples lag every 5 s (api/metrics/series);
 * the group pages poll faster, so each page also records the lag it observed, and the chart
 * appends those observations after the broker's last sample: a drop shows at once, and the
 * chart never disagrees with the table beside it.
 */
import { useMemo, useRef } from 'preact/hooks';
import { formatCompact } from '../lib/format.ts';
import { LineChart } from './line-chart.tsx';
import { pick, useMetricsSeries } from './throughput-charts.tsx';

type Point = readonly [time: number, lag: number];

const SERIES_COLORS = ['var(--series-1)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)'];
/** Observations kept per group: 15 minutes of 2-second polls, the chart's window. */
const OBSERVED_MAX = 450;

/**
 * Records `lags` (group id → total lag) each time a new answer arrives, keyed by `scope`
 * (a change of scope, such as another group's page, starts afresh).
 */
export function useObservedLag(scope: string, lags: ReadonlyMap<string, number> | undefined): ReadonlyMap<string, readonly Point[]> {
  const seen = useRef<{ scope: string; byGroup: Map<string, Point[]> }>({ scope, byGroup: new Map() });
  // Recorded while rendering the new answer, so the chart includes it at once.
  useMemo(() => {
    if (seen.current.scope !== scope) seen.current = { scope, byGroup: new Map() };
    if (lags === undefined) return;
    const now = Date.now();
    for (const [id, lag] of lags) seen.current.byGroup.set(id, [...(seen.current.byGroup.get(id) ?? []).slice(1 - OBSERVED_MAX), [now, lag]]);
  }, [scope, lags]);
  return seen.current.byGroup;
}

/** The given groups' lag (the first few, so the chart stays readable). */
export function GroupLagChart({ groupIds, observed }: { groupIds: string[]; observed: ReadonlyMap<string, readonly Point[]> }) {
  const metrics = useMetricsSeries();
  if (metrics.data === undefined) return null;
  const series = groupIds.slice(0, SERIES_COLORS.length).map((id, i) => {
    const sampled = pick(metrics.data, id, SERIES_COLORS[i], (s) => s.groupLag[id]);
    const lastSampled = sampled.points[sampled.points.length - 1]?.[0] ?? -Infinity;
    return { ...sampled, points: [...sampled.points, ...(observed.get(id) ?? []).filter((p) => p[0] > lastSampled)] };
  });
  return <LineChart title="Consumer lag (records)" format={formatCompact} series={series} />;
}
