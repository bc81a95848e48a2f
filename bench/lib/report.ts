// Renders the ceilings and scenario results as Markdown tables (pasted into
// docs/PERFORMANCE.md as they are).
import type { Ceilings } from './ceilings.ts';
import type { LatencySummary } from './latency.ts';
import type { NodeClientResult } from './node-client.ts';
import type { ScenarioResult, ThreadCpu } from './scenarios.ts';
import { fmt } from './aggregate.ts';

export function ceilingsTable(c: Ceilings): string {
  const f = c.fdatasync;
  return [
    '| ceiling | value |',
    '|---|---|',
    `| loopback TCP, Node → Node, 1 MiB writes (best of 3) | ${c.loopbackMiBps.toFixed(0)} MiB/s |`,
    `| sequential disk write, 1 MiB writes + fsync, ${c.diskWriteMiB} MiB | ${c.diskWriteMiBps.toFixed(0)} MiB/s |`,
    `| fdatasync after 1 KiB append (${fmt(f.count)} ops) | p50 ${ms(f.p50Ms)} / p99 ${ms(f.p99Ms)} / max ${ms(f.maxMs)} ms |`,
  ].join('\n');
}

export function scenarioTable(results: ScenarioResult[], c: Ceilings): string {
  if (results.length === 0) return '(no target produced results)';
  const rows = [
    '| target | records/s | MiB/s | avg | p50 | p95 | p99 | p99.9 | max (ms) | consumer records/s | consumer MiB/s | broker CPU s/GiB | of which main / V8 / libuv / other | broker core busy | peak RSS MiB | MiB/s ÷ loopback | MiB/s ÷ disk |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const m = r.median;
    rows.push(
      `| ${r.target} | ${fmt(m.recordsPerSec)} | ${m.MiBps.toFixed(1)} | ${latencyCells(m.latency)} | ${fmt(m.consumerRecordsPerSec)} | ` +
        `${m.consumerMiBps.toFixed(1)} | ${m.brokerCpuSecPerGiB.toFixed(1)} | ${threadCells(m.brokerCpuSecPerGiBByThread)} | ${m.brokerCoreBusyPct.toFixed(0)} % | ${r.peakRssMiB.toFixed(0)} | ` +
        `${ratio(m.MiBps, c.loopbackMiBps)} | ${ratio(m.MiBps, c.diskWriteMiBps)} |`,
    );
  }
  const e2e = results.filter((r) => r.median.endToEnd);
  if (e2e.length > 0) {
    rows.push('', '| target | end-to-end avg | p50 | p95 | p99 | p99.9 | max (ms) | records received |', '|---|---|---|---|---|---|---|---|');
    for (const r of e2e) {
      const e = r.median.endToEnd as LatencySummary;
      rows.push(`| ${r.target} | ${latencyCells(e)} | ${fmt(e.count)} |`);
    }
  }
  return rows.join('\n');
}

function threadCells(t: ThreadCpu): string {
  return [t.main, t.v8, t.libuv, t.other].map((v) => v.toFixed(1)).join(' / ');
}

function latencyCells(l: LatencySummary): string {
  return [l.avgMs, l.p50Ms, l.p95Ms, l.p99Ms, l.p999Ms, l.maxMs].map(ms).join(' | ');
}

function ms(v: number): string {
  return v < 10 ? v.toFixed(2) : v.toFixed(0);
}

function ratio(value: number, ceiling: number): string {
  return ceiling > 0 ? `${((value / ceiling) * 100).toFixed(1)} %` : '-';
}

export function nodeClientTable(results: NodeClientResult[], c: Ceilings): string {
  if (results.length === 0) return '(no target produced results)';
  const rows = [
    '| target | records/s | MiB/s | send() avg | p50 | p95 | p99 | p99.9 | max (ms) | broker CPU s/GiB | MiB/s ÷ loopback |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    rows.push(`| ${r.target} | ${fmt(r.recordsPerSec)} | ${r.MiBps.toFixed(1)} | ${latencyCells(r.sendLatency)} | ${r.brokerCpuSecPerGiB.toFixed(1)} | ${ratio(r.MiBps, c.loopbackMiBps)} |`);
  }
  return rows.join('\n');
}
