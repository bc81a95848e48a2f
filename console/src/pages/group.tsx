/**
 * One consumer group: state and generation, members with their assignments, committed
 * offsets with per-partition lag, a live lag chart and the reset-offsets form.
 */
import { useMemo } from 'preact/hooks';
import { gregor } from '../api/endpoints.ts';
import type { GroupDetail } from '../api/endpoints.ts';
import { GroupLagChart, useObservedLag } from '../components/group-lag-chart.tsx';
import { PageHead, Stat } from '../components/page-head.tsx';
import { ResourceView } from '../components/status.tsx';
import { formatNumber } from '../lib/format.ts';
import { href } from '../lib/router.ts';
import { useResource } from '../lib/use-resource.ts';
import { stateBadge } from './groups.tsx';
import { ResetOffsets } from './reset-offsets.tsx';

const POLL_MS = 2000;

function Members({ g }: { g: GroupDetail }) {
  return (
    <section class="card" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      {g.members.length === 0 ? <p class="muted">No active members.</p> : (
        <div class="table-wrap">
          <table aria-label="Members">
            <thead><tr><th>Member</th><th>Client</th><th>Host</th><th>Assignment</th></tr></thead>
            <tbody>
              {g.members.map((m) => (
                <tr key={m.memberId}>
                  <td class="mono">{m.memberId}{m.groupInstanceId !== null && <> <span class="badge">static: {m.groupInstanceId}</span></>}</td>
                  <td>{m.clientId}</td>
                  <td class="mono">{m.clientHost}</td>
                  <td>{m.assignment.length === 0 ? <span class="muted">—</span> : m.assignment.map((a) => `${a.topic} [${a.partitions.join(', ')}]`).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Offsets({ g }: { g: GroupDetail }) {
  const sorted = [...g.offsets].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return (
    <section class="card" aria-labelledby="offsets-title">
      <h2 id="offsets-title">Offsets and lag</h2>
      {sorted.length === 0 ? <p class="muted">The group has no committed offsets.</p> : (
        <div class="table-wrap">
          <table aria-label="Offsets">
            <thead><tr><th>Topic</th><th class="num">Partition</th><th class="num">Committed</th><th class="num">High watermark</th><th class="num">Lag</th><th>Member</th></tr></thead>
            <tbody>
              {sorted.map((o) => (
                <tr key={`${o.topic}-${o.partition}`}>
                  <td><a href={href(['topics', o.topic])}>{o.topic}</a></td>
                  <td class="num">{o.partition}</td>
                  <td class="num">{o.committedOffset < 0 ? <span class="muted">none</span> : formatNumber(o.committedOffset)}</td>
                  <td class="num">{formatNumber(o.highWatermark)}</td>
                  <td class="num" data-testid={`lag-${o.topic}-${o.partition}`}>{formatNumber(o.lag)}</td>
                  <td class="mono">{o.memberId ?? <span class="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** State, protocol type, assignor and generation; a generation below 0 means none (an empty group). */
function GroupSubtitle({ g }: { g: GroupDetail }) {
  const parts = [g.protocolType, g.protocol, g.generationId >= 0 ? `generation ${g.generationId}` : ''].filter((p) => p !== '');
  return <>{stateBadge(g.state)} {parts.join(' · ')}</>;
}

function totalLag(g: GroupDetail): number {
  return g.offsets.reduce((n, o) => n + Math.max(0, o.lag), 0);
}

export function GroupPage({ groupId }: { groupId: string }) {
  const res = useResource(() => gregor.group(groupId), [groupId], POLL_MS);
  const lags = useMemo(() => (res.data?.groupId === groupId ? new Map([[groupId, totalLag(res.data)]]) : undefined), [groupId, res.data]);
  const observed = useObservedLag(groupId, lags);
  return (
    <>
      <PageHead title={groupId} crumbs={<a href="#/groups">Consumer groups</a>} subtitle={res.data ? <GroupSubtitle g={res.data} /> : undefined} />
      <ResourceView res={res} what="the group" feature="Consumer groups">
        {(g) => (
          <>
            <div class="grid stats">
              <Stat label="Members" value={g.members.length} />
              <Stat label="Partitions" value={g.offsets.length} />
              <Stat label="Total lag" value={formatNumber(totalLag(g))} testId="group-total-lag" />
            </div>
            <GroupLagChart groupIds={[groupId]} observed={observed} />
            <Members g={g} />
            <Offsets g={g} />
            <ResetOffsets group={g} onDone={res.reload} />
          </>
        )}
      </ResourceView>
    </>
  );
}
