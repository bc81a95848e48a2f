/**
 * Reset a group's committed offsets for one topic: to earliest, latest, an offset or a
 * time. "Preview" asks the broker for a dry run; the reset itself goes through a
 * confirmation dialog listing what will be committed. Kafka only allows this while the
 * group has no active members; the broker's error says so otherwise.
 */
import { useState } from 'preact/hooks';
import { gregor } from '../api/endpoints.ts';
import type { GroupDetail, ResetOffsetsBody, ResetOffsetsResponse } from '../api/endpoints.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';

type Target = 'earliest' | 'latest' | 'offset' | 'timestamp';

function targetOf(kind: Target, value: string): ResetOffsetsBody['to'] {
  if (kind === 'earliest') return { earliest: true };
  if (kind === 'latest') return { latest: true };
  if (kind === 'offset') return { offset: Math.max(0, Number(value) || 0) };
  return { timestamp: new Date(value).getTime() };
}

function PlanTable({ plan }: { plan: ResetOffsetsResponse }) {
  return (
    <table aria-label="New offsets">
      <thead><tr><th>Topic</th><th class="num">Partition</th><th class="num">New offset</th></tr></thead>
      <tbody>{plan.offsets.map((o) => <tr key={`${o.topic}-${o.partition}`}><td>{o.topic}</td><td class="num">{o.partition}</td><td class="num">{o.offset}</td></tr>)}</tbody>
    </table>
  );
}

export function ResetOffsets({ group, onDone }: { group: GroupDetail; onDone(): void }) {
  const topics = [...new Set(group.offsets.map((o) => o.topic))].sort();
  const [topic, setTopic] = useState(topics[0] ?? '');
  const [kind, setKind] = useState<Target>('earliest');
  const [value, setValue] = useState('');
  const [plan, setPlan] = useState<ResetOffsetsResponse | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const active = group.members.length > 0;
  const body = (dryRun: boolean): ResetOffsetsBody => ({ topic, to: targetOf(kind, value), dryRun });

  const preview = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      setPlan(await gregor.resetOffsets(group.groupId, body(true)));
      setConfirming(true);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section class="card" aria-labelledby="reset-title">
      <h2 id="reset-title">Reset offsets</h2>
      {active && <p class="banner banner-info">The group has {group.members.length} active member(s). Kafka resets offsets only for a group with no members: stop its consumers first.</p>}
      <form class="form-row" onSubmit={preview}>
        <label class="field"><span>Topic</span>
          <select value={topic} onChange={(e) => setTopic(e.currentTarget.value)} name="topic">{topics.map((t) => <option key={t}>{t}</option>)}</select>
        </label>
        <label class="field"><span>To</span>
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as Target)} name="to">
            <option value="earliest">Earliest</option><option value="latest">Latest</option><option value="offset">Offset</option><option value="timestamp">Time</option>
          </select>
        </label>
        {kind === 'offset' && <label class="field"><span>Offset</span><input type="number" min={0} value={value} onInput={(e) => setValue(e.currentTarget.value)} required /></label>}
        {kind === 'timestamp' && <label class="field"><span>Time (local)</span><input type="datetime-local" step={1} value={value} onInput={(e) => setValue(e.currentTarget.value)} required /></label>}
        <button type="submit" class="btn" disabled={topic === ''}>Reset offsets…</button>
      </form>
      {error !== undefined && <p class="form-error" role="alert">{error}</p>}
      {confirming && plan !== undefined && (
        <ConfirmDialog title={`Reset offsets of ${group.groupId}?`} confirmLabel="Reset offsets" danger onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await gregor.resetOffsets(group.groupId, body(false));
            onDone();
          }}>
          <p>These committed offsets will be written for topic <code>{topic}</code>:</p>
          <PlanTable plan={plan} />
        </ConfirmDialog>
      )}
    </section>
  );
}
