/**
 * One topic: summary, partitions with offsets and sizes (each linking to the message
 * browser), add partitions, configs and delete.
 */
import { useState } from 'preact/hooks';
import { gregor } from '../api/endpoints.ts';
import type { TopicDetail } from '../api/endpoints.ts';
import { PageHead, Stat } from '../components/page-head.tsx';
import { ResourceView } from '../components/status.tsx';
import { formatBytes, formatNumber } from '../lib/format.ts';
import { href, navigate } from '../lib/router.ts';
import { useResource } from '../lib/use-resource.ts';
import { TopicConfigs } from './topic-configs.tsx';
import { DeleteTopicDialog } from './topics.tsx';

const POLL_MS = 3000;

function Partitions({ t }: { t: TopicDetail }) {
  return (
    <section class="card" aria-labelledby="partitions-title">
      <h2 id="partitions-title">Partitions</h2>
      <div class="table-wrap">
        <table aria-label="Partitions">
          <thead>
            <tr>
              <th class="num">Partition</th><th class="num">Leader</th><th class="num">Epoch</th><th>Replicas</th><th>ISR</th>
              <th class="num"><abbr title="Log start offset">Start</abbr></th><th class="num"><abbr title="High watermark: the end consumers read up to">HW</abbr></th>
              <th class="num"><abbr title="Log end offset">End</abbr></th>
              <th class="num">Messages</th><th class="num">Size</th><th class="num">Segments</th><th><span class="sr-only">Browse</span></th>
            </tr>
          </thead>
          <tbody>
            {t.partitionDetails.map((p) => (
              <tr key={p.partition}>
                <td class="num">{p.partition}</td>
                <td class="num">{p.leader}</td>
                <td class="num">{p.leaderEpoch}</td>
                <td>{p.replicas.join(', ')}</td>
                <td>{p.isr.join(', ')}</td>
                <td class="num">{formatNumber(p.logStartOffset)}</td>
                <td class="num">{formatNumber(p.highWatermark)}</td>
                <td class="num">{formatNumber(p.logEndOffset)}</td>
                <td class="num">{p.highWatermark === null || p.logStartOffset === null ? '—' : formatNumber(p.highWatermark - p.logStartOffset)}</td>
                <td class="num">{formatBytes(p.sizeBytes)}</td>
                <td class="num">{formatNumber(p.segments)}</td>
                <td class="nowrap"><a href={href(['topics', t.name, 'messages'], { partition: p.partition })} aria-label={`Browse partition ${p.partition}`}>Browse</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function AddPartitions({ t, onDone }: { t: TopicDetail; onDone(): void }) {
  const [count, setCount] = useState(String(t.partitions + 1));
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await gregor.addPartitions(t.name, Number(count));
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
    setBusy(false);
  };
  return (
    <section class="card" aria-labelledby="add-partitions-title">
      <h2 id="add-partitions-title">Add partitions</h2>
      <form onSubmit={submit} class="form-row">
        <label class="field">
          <span>New total partition count</span>
          <input type="number" min={t.partitions + 1} value={count} onInput={(e) => setCount(e.currentTarget.value)} style={{ width: '140px' }} />
        </label>
        <button type="submit" class="btn btn-primary" disabled={busy || !(Number(count) > t.partitions)}>Add partitions</button>
        <p class="form-hint">Partitions can only be added. Keyed messages may map to other partitions afterwards.</p>
      </form>
      {error !== undefined && <p class="form-error" role="alert">{error}</p>}
    </section>
  );
}

export function TopicPage({ name }: { name: string }) {
  const res = useResource(() => gregor.topic(name), [name], POLL_MS);
  const [deleting, setDeleting] = useState(false);
  const [adding, setAdding] = useState(false);
  return (
    <>
      <PageHead title={name} crumbs={<a href="#/topics">Topics</a>} subtitle={res.data ? <>Topic ID <code>{res.data.topicId}</code>{res.data.internal && ' · internal'}</> : undefined}>
        <a class="btn" href={href(['topics', name, 'messages'])}>Browse messages</a>
        {res.data && !res.data.internal && (
          <>
            <button type="button" class="btn" onClick={() => setAdding(!adding)} aria-expanded={adding}>Add partitions</button>
            <button type="button" class="btn btn-ghost-danger" onClick={() => setDeleting(true)}>Delete</button>
          </>
        )}
      </PageHead>
      <ResourceView res={res} what="the topic">
        {(t) => (
          <>
            <div class="grid stats">
              <Stat label="Partitions" value={t.partitions} testId="topic-partitions" />
              <Stat label="Replication" value={t.replicationFactor} />
              <Stat label="Messages" value={formatNumber(t.messages)} testId="topic-messages" />
              <Stat label="Size" value={formatBytes(t.bytesOnDisk)} />
            </div>
            {adding && <AddPartitions t={t} onDone={() => { setAdding(false); res.reload(); }} />}
            <Partitions t={t} />
            <TopicConfigs topic={name} />
          </>
        )}
      </ResourceView>
      {deleting && <DeleteTopicDialog name={name} onClose={() => setDeleting(false)} onDeleted={() => navigate('#/topics')} />}
    </>
  );
}
