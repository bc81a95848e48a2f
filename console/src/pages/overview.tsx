/**
 * Overview: the cluster at a glance (brokers, topics, partitions, bytes on disk, current
 * throughput), the broker list and live traffic charts.
 */
import { gregor } from '../api/endpoints.ts';
import type { OverviewResponse } from '../api/endpoints.ts';
import { PageHead, Stat } from '../components/page-head.tsx';
import { ResourceView } from '../components/status.tsx';
import { ThroughputCharts } from '../components/throughput-charts.tsx';
import { formatBytes, formatCompact, formatDuration, formatNumber, formatRate } from '../lib/format.ts';
import { useResource } from '../lib/use-resource.ts';

const POLL_MS = 2000;

function Stats({ o }: { o: OverviewResponse }) {
  return (
    <>
      <div class="grid stats" role="group" aria-label="Cluster">
        <Stat label="Brokers" value={formatNumber(o.brokers.length)} testId="stat-brokers" />
        <Stat label="Topics" value={formatNumber(o.topics)} testId="stat-topics" />
        <Stat label="Partitions" value={formatNumber(o.partitions)} testId="stat-partitions" />
        {o.groups !== null && <Stat label="Groups" value={formatNumber(o.groups)} testId="stat-groups" />}
        <Stat label="Bytes on disk" value={formatBytes(o.bytesOnDisk)} testId="stat-bytes" />
      </div>
      <div class="grid stats" role="group" aria-label="Throughput now">
        <Stat label="Messages in" value={`${formatCompact(o.throughput.messagesInPerSec)}/s`} />
        <Stat label="Bytes in" value={formatRate(o.throughput.bytesInPerSec, 'bytes')} />
        <Stat label="Bytes out" value={formatRate(o.throughput.bytesOutPerSec, 'bytes')} />
      </div>
    </>
  );
}

function Brokers({ o }: { o: OverviewResponse }) {
  return (
    <section class="card" aria-labelledby="brokers-title">
      <h2 id="brokers-title">Brokers</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr><th>Node</th><th>Host</th><th class="num">Port</th><th>Rack</th><th>Role</th></tr>
          </thead>
          <tbody>
            {o.brokers.map((b) => (
              <tr key={b.nodeId}>
                <td>{b.nodeId}</td>
                <td class="mono">{b.host}</td>
                <td class="num">{b.port}</td>
                <td>{b.rack ?? <span class="muted">—</span>}</td>
                <td>
                  {b.nodeId === o.controllerId && <span class="badge badge-accent">controller</span>}{' '}
                  {b.nodeId === o.nodeId && <span class="badge">this broker</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function OverviewPage() {
  const res = useResource(gregor.overview, [], POLL_MS);
  return (
    <>
      <PageHead
        title="Overview"
        subtitle={res.data ? <>Cluster <code>{res.data.clusterId}</code> · up {formatDuration(res.data.uptimeMs)}</> : undefined}
      />
      <ResourceView res={res} what="the overview">
        {(o) => (
          <>
            <Stats o={o} />
            <section aria-labelledby="traffic-title">
              <h2 id="traffic-title" class="sr-only">Traffic</h2>
              <ThroughputCharts />
            </section>
            <Brokers o={o} />
          </>
        )}
      </ResourceView>
    </>
  );
}
