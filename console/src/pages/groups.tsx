/**
 * Consumer groups: state, members and total lag per group, plus a live chart of each
 * group's lag. Shows "not available" while the broker answers 501 (no group coordinator).
 */
import { gregor } from '../api/endpoints.ts';
import type { GroupSummary } from '../api/endpoints.ts';
import { useMemo } from 'preact/hooks';
import { GroupLagChart, useObservedLag } from '../components/group-lag-chart.tsx';
import { PageHead } from '../components/page-head.tsx';
import { ResourceView } from '../components/status.tsx';
import { formatNumber, plural } from '../lib/format.ts';
import { href } from '../lib/router.ts';
import { useResource } from '../lib/use-resource.ts';

const POLL_MS = 3000;

export function stateBadge(state: string) {
  const cls = state === 'Stable' ? 'badge badge-ok' : state === 'Dead' ? 'badge badge-danger' : state === 'Empty' ? 'badge' : 'badge badge-warn';
  return <span class={cls}>{state}</span>;
}

function GroupTable({ groups }: { groups: GroupSummary[] }) {
  if (groups.length === 0) return <p class="muted">No consumer groups yet. They appear when a consumer with a group.id joins or commits offsets.</p>;
  return (
    <div class="table-wrap">
      <table aria-label="Consumer groups">
        <thead><tr><th>Group</th><th>State</th><th>Protocol</th><th class="num">Members</th><th class="num">Lag</th></tr></thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.groupId}>
              <td><a href={href(['groups', g.groupId])}>{g.groupId}</a></td>
              <td>{stateBadge(g.state)}</td>
              <td>{g.protocolType || <span class="muted">—</span>}</td>
              <td class="num">{g.members}</td>
              <td class="num" data-testid={`group-lag-${g.groupId}`}>{formatNumber(g.lag)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function GroupsPage() {
  const res = useResource(gregor.groups, [], POLL_MS);
  const lags = useMemo(() => res.data && new Map(res.data.groups.map((g) => [g.groupId, g.lag])), [res.data]);
  const observed = useObservedLag('all', lags);
  return (
    <>
      <PageHead title="Consumer groups" subtitle={res.data ? plural(res.data.groups.length, 'group') : undefined} />
      <ResourceView res={res} what="consumer groups" feature="Consumer groups">
        {(data) => (
          <>
            <section class="card" aria-label="Group list"><GroupTable groups={data.groups} /></section>
            {data.groups.length > 0 && (
              <div>
                <GroupLagChart groupIds={[...data.groups].sort((a, b) => b.lag - a.lag).map((g) => g.groupId)} observed={observed} />
              </div>
            )}
          </>
        )}
      </ResourceView>
    </>
  );
}
