/** Human-readable numbers, byte sizes, rates and times for tables and cards. */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '—';
  let v = n;
  let unit = 0;
  while (Math.abs(v) >= 1024 && unit < BYTE_UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(v) : v.toFixed(v < 10 ? 2 : 1)} ${BYTE_UNITS[unit]}`;
}

const numberFormat = new Intl.NumberFormat('en-US');
const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatNumber(n: number | bigint | string | undefined | null): string {
  if (n === undefined || n === null || n === '') return '—';
  if (typeof n === 'string') return /^-?\d+$/.test(n) ? numberFormat.format(BigInt(n)) : n;
  return numberFormat.format(n);
}

export function formatCompact(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '—';
  return compactFormat.format(n);
}

export function formatRate(perSecond: number | undefined | null, unit: 'msg' | 'bytes'): string {
  if (perSecond === undefined || perSecond === null || !Number.isFinite(perSecond)) return '—';
  return unit === 'bytes' ? `${formatBytes(perSecond)}/s` : `${formatCompact(perSecond)} msg/s`;
}

/** Kafka timestamps are epoch milliseconds; -1 means "none". */
export function formatTimestamp(ms: number | string | undefined | null): string {
  const n = typeof ms === 'string' ? Number(ms) : ms;
  if (n === undefined || n === null || !Number.isFinite(n) || n < 0) return '—';
  const d = new Date(n);
  const pad = (x: number, w = 2) => String(x).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** "1 topic", "3 topics". */
export function plural(n: number, noun: string): string {
  return `${formatNumber(n)} ${noun}${n === 1 ? '' : 's'}`;
}
