// Renders the ceilings and scenario results as Markdown tables (pasted into
// docs/PERFORMANCE.md as they are).
import type { Ceilings } from './ceilings.ts';
import type { LatencySummary } from './latency.ts';
import type { NodeClientResult } from './node-client.ts';
import type { ScenarioResult, ThreadCpu } from './scenarios.ts';
import type { CatchUpResult } from './catch-up.ts';
import type { ManyPartitionsResult } from './many-partitions.ts';
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

/** Scenario 4 against issue 6's targets: p99 at 20 MiB/s within fdatasync p99 + 5 ms; max rate ≥ 75 MiB/s. */
export function durableTable(fixed: ScenarioResult[], max: ScenarioResult[], c: Ceilings): string {
  const rows = [
    '| target | 20 MiB/s run: p99 | fdatasync p99 (ceiling) | p99 − fdatasync p99 | ≤ 5 ms? | max-rate run: MiB/s | ≥ 75? | MiB/s ÷ disk |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const f of fixed) {
    const m = max.find((r) => r.target === f.target)?.median;
    const over = f.median.latency.p99Ms - c.fdatasync.p99Ms;
    rows.push(`| ${f.target} | ${ms(f.median.latency.p99Ms)} | ${ms(c.fdatasync.p99Ms)} | ${ms(over)} | ${yesNo(over <= 5)} | ` +
      `${m ? m.MiBps.toFixed(1) : '–'} | ${m ? yesNo(m.MiBps >= 75) : '–'} | ${m ? ratio(m.MiBps, c.diskWriteMiBps) : '–'} |`);
  }
  return rows.join('\n');
}

/** Scenario 5: the drain against ≥ 400 MiB/s, the producer's p99 during it against twice its p99 alone. */
export function catchUpTable(results: CatchUpResult[], c: Ceilings): string {
  const rows = [
    '| target | backlog GiB | built at MiB/s | consumer MiB/s | ≥ 400? | consumer ÷ loopback | producer p99 alone | p99 during drain (ms) | ratio | ≤ 2? |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const k = r.catchUp;
    const factor = k.duringP99Ms / k.aloneP99Ms;
    rows.push(`| ${r.target} | ${(k.backlogBytes / (1 << 30)).toFixed(2)} | ${k.buildMiBps.toFixed(1)} | ${r.median.consumerMiBps.toFixed(1)} | ` +
      `${yesNo(r.median.consumerMiBps >= 400)} | ${ratio(r.median.consumerMiBps, c.loopbackMiBps)} | ${ms(k.aloneP99Ms)} | ${ms(k.duringP99Ms)} | ` +
      `${factor.toFixed(2)} | ${yesNo(factor <= 2)} |`);
  }
  return rows.join('\n');
}

/** Scenario 6: p99 against 10 ms, peak RSS against 256 MiB + 0.5 MiB per partition, and whether the generator kept up. */
export function manyPartitionsTable(results: ManyPartitionsResult[]): string {
  const rows = [
    '| target | partitions | broker connections | p99 (ms) | ≤ 10 ms? | peak RSS MiB | budget MiB | within? | generator core busy | generator waiting for its core | schedule lag p99 | lag max (ms) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const k = r.manyPartitions;
    rows.push(`| ${r.target} | ${fmt(k.partitions)} | ${fmt(k.brokerConnections)} | ${ms(r.median.latency.p99Ms)} | ${yesNo(r.median.latency.p99Ms <= 10)} | ` +
      `${r.peakRssMiB.toFixed(0)} | ${k.rssBudgetMiB.toFixed(0)} | ${yesNo(r.peakRssMiB <= k.rssBudgetMiB)} | ${k.loadgenBusyPct.toFixed(0)} % | ${k.loadgenWaitPct.toFixed(0)} % | ` +
      `${ms(k.lagP99Ms)} | ${ms(k.lagMaxMs)} |`);
  }
  return rows.join('\n');
}

function yesNo(ok: boolean): string {
  return ok ? 'yes' : '**no**';
}
