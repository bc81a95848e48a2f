/**
 * A small hand-rolled SVG line chart for the live metrics (a charting library would be most
 * of the bundle). Time on x, one or more series on y from 0 to a rounded maximum, a legend
 * with each series' latest value, and a hover readout. The figure has an aria-label that
 * states the latest values, so screen readers get the gist without the drawing.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { GRID_LINES, niceMax } from '../lib/chart-scale.ts';

export interface Series {
  readonly name: string;
  /** A CSS color (custom property allowed). */
  readonly color: string;
  readonly points: readonly (readonly [time: number, value: number])[];
}

export interface LineChartProps {
  title: string;
  series: readonly Series[];
  format(value: number): string;
  height?: number;
}

const PAD = { top: 12, right: 16, bottom: 24, left: 64 };
/** The x axis spans at least this much time, so a fresh series grows from the right. */
const WINDOW_MS_MIN = 60_000;
/** Older samples than this before the latest are not drawn (the broker keeps an hour). */
const WINDOW_MS_MAX = 15 * 60_000;

function useWidth(): [ref: { current: HTMLDivElement | null }, width: number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(480);
  // A layout effect measures before the first paint, so the chart never shows at a guessed width.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    setWidth(Math.max(200, el.clientWidth));
    const ro = new ResizeObserver(([entry]) => setWidth(Math.max(200, Math.floor(entry.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

function timeLabel(t: number): string {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

export function LineChart({ title, series: allSeries, format, height = 180 }: LineChartProps) {
  const [ref, width] = useWidth();
  const newest = Math.max(0, ...allSeries.flatMap((s) => s.points.map((p) => p[0])));
  const series = allSeries.map((s) => ({ ...s, points: s.points.filter((p) => p[0] >= newest - WINDOW_MS_MAX) }));
  const [hoverX, setHoverX] = useState<number | undefined>(undefined);
  const all = series.flatMap((s) => s.points);
  const t1 = all.length ? Math.max(...all.map((p) => p[0])) : 1;
  const t0 = all.length ? Math.min(t1 - WINDOW_MS_MIN, ...all.map((p) => p[0])) : 0;
  const yMax = niceMax(all.length ? Math.max(...all.map((p) => p[1])) : 0);
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + (t1 === t0 ? plotW : ((t - t0) / (t1 - t0)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const latest = series.map((s) => s.points[s.points.length - 1]?.[1]);
  const summary = `${title}: ${series.map((s, i) => `${s.name} ${latest[i] === undefined ? 'no data' : format(latest[i])}`).join(', ')}`;

  // The hover readout shows the sample nearest the pointer.
  const hoverTime = hoverX === undefined || t1 === t0 ? undefined : t0 + ((hoverX - PAD.left) / plotW) * (t1 - t0);
  const nearest = (s: Series) =>
    hoverTime === undefined || s.points.length === 0 ? undefined : s.points.reduce((a, b) => (Math.abs(b[0] - hoverTime) < Math.abs(a[0] - hoverTime) ? b : a));

  return (
    <figure class="chart card">
      <figcaption>
        <span class="chart-title">{title}</span>
        <ul class="legend">
          {series.map((s, i) => {
            const near = nearest(s);
            return (
              <li key={s.name}>
                <span class="swatch" style={{ background: s.color }} aria-hidden="true" />
                {s.name} <strong>{near ? format(near[1]) : latest[i] === undefined ? '—' : format(latest[i])}</strong>
              </li>
            );
          })}
        </ul>
      </figcaption>
      <div ref={ref} class="chart-plot">
        <svg width={width} height={height} role="img" aria-label={summary}
          onMouseMove={(e) => setHoverX(Math.min(PAD.left + plotW, Math.max(PAD.left, e.offsetX)))}
          onMouseLeave={() => setHoverX(undefined)}>
          {Array.from({ length: GRID_LINES + 1 }, (_, i) => {
            const v = (yMax / GRID_LINES) * i;
            return (
              <g key={i} class="grid">
                <line x1={PAD.left} x2={PAD.left + plotW} y1={y(v)} y2={y(v)} />
                <text x={PAD.left - 8} y={y(v)} dy="0.32em" text-anchor="end">{format(v)}</text>
              </g>
            );
          })}
          {all.length > 0 && (
            <g class="axis-x">
              <text x={PAD.left} y={height - 6} text-anchor="start">{timeLabel(t0)}</text>
              <text x={PAD.left + plotW} y={height - 6} text-anchor="end">{timeLabel(t1)}</text>
            </g>
          )}
          {series.map((s) => (
            <polyline key={s.name} class="line" fill="none" stroke={s.color} stroke-width="2" stroke-linejoin="round"
              points={s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')} />
          ))}
          {series.map((s) => {
            const last = s.points[s.points.length - 1];
            return last && <circle key={s.name} class="last-point" cx={x(last[0])} cy={y(last[1])} r="3.5" fill={s.color} />;
          })}
          {hoverTime !== undefined && all.length > 0 && <line class="cursor" x1={hoverX} x2={hoverX} y1={PAD.top} y2={PAD.top + plotH} />}
          {all.length === 0 && (
            <text class="chart-empty" x={PAD.left + plotW / 2} y={PAD.top + plotH / 2} text-anchor="middle">
              Waiting for samples…
            </text>
          )}
        </svg>
      </div>
    </figure>
  );
}
