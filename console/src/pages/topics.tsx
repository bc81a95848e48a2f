/**
 * Topics: every topic with partitions, replication, messages and size; a filter box, a
 * toggle for internal topics, the create form and delete (with typed confirmation).
 */
import { useState } from 'preact/hooks';
import { gregor } from '../api/endpoints.ts';
import type { TopicSummary } from '../api/endpoints.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { PageHead } from '../components/page-head.tsx';
import { ResourceView } from '../components/status.tsx';
import { formatBytes, formatNumber, plural } from '../lib/format.ts';
import { href, navigate } from '../lib/router.ts';
import { useResource } from '../lib/use-resource.ts';
import { CreateTopicForm } from './create-topic.tsx';

const POLL_MS = 5000;

export function DeleteTopicDialog({ name, onClose, onDeleted }: { name: string; onClose(): void; onDeleted(): void }) {
  return (
    <ConfirmDialog title={`Delete topic ${name}?`} confirmLabel="Delete topic" typeToConfirm={name} danger onClose={onClose}
      onConfirm={async () => {
        await gregor.deleteTopic(name);
        onDeleted();
      }}>
      All of its partitions and messages are removed. This cannot be undone.
    </ConfirmDialog>
  );
}

function TopicRow({ t, onDelete }: { t: TopicSummary; onDelete(): void }) {
  const overrides = Object.keys(t.overrides).length;
  return (
    <tr>
      <td>
        <a href={href(['topics', t.name])}>{t.name}</a> {t.internal && <span class="badge">internal</span>}
      </td>
      <td class="num">{t.partitions}</td>
      <td class="num">{t.replicationFactor}</td>
      <td class="num">{formatNumber(t.messages)}</td>
      <td class="num">{formatBytes(t.bytesOnDisk)}</td>
      <td class="num">{overrides === 0 ? <span class="muted">—</span> : overrides}</td>
      <td>
        <div class="actions">
          <a class="btn btn-small" href={href(['topics', t.name, 'messages'])}>Messages</a>
          {!t.internal && (
            <button type="button" class="btn btn-small btn-ghost-danger" onClick={onDelete} aria-label={`Delete topic ${t.name}`}>
              Delete
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

function TopicTable({ topics, filter, showInternal, onDelete }: { topics: TopicSummary[]; filter: string; showInternal: boolean; onDelete(name: string): void }) {
  const needle = filter.toLowerCase();
  const shown = topics.filter((t) => (showInternal || !t.internal) && t.name.toLowerCase().includes(needle));
  if (!topics.some((t) => showInternal || !t.internal)) return <p class="muted">No topics yet. Create one, or produce to a new name when auto-creation is on.</p>;
  if (shown.length === 0) return <p class="muted">No topic matches “{filter}”.</p>;
  return (
    <div class="table-wrap">
      <table aria-label="Topics">
        <thead>
          <tr>
            <th>Name</th><th class="num">Partitions</th><th class="num">Replicas</th><th class="num">Messages</th>
            <th class="num">Size</th><th class="num">Overrides</th><th><span class="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>{shown.map((t) => <TopicRow key={t.name} t={t} onDelete={() => onDelete(t.name)} />)}</tbody>
      </table>
    </div>
  );
}

export function TopicsPage() {
  const res = useResource(gregor.topics, [], POLL_MS);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string | undefined>(undefined);
  const [filter, setFilter] = useState('');
  const [showInternal, setShowInternal] = useState(false);

  return (
    <>
      <PageHead title="Topics" subtitle={res.data ? plural(res.data.topics.filter((t) => !t.internal).length, 'topic') : undefined}>
        {!creating && <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>Create topic</button>}
      </PageHead>
      {creating && <CreateTopicForm onCancel={() => setCreating(false)} onCreated={(name) => navigate(href(['topics', name]))} />}
      <section class="card" aria-label="Topic list">
        <div class="toolbar">
          <label class="field grow">
            <span>Filter</span>
            <input type="search" placeholder="Topic name contains…" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
          </label>
          <label>
            <input type="checkbox" checked={showInternal} onChange={(e) => setShowInternal(e.currentTarget.checked)} /> Show internal topics
          </label>
        </div>
        <ResourceView res={res} what="topics">
          {(data) => <TopicTable topics={data.topics} filter={filter} showInternal={showInternal} onDelete={setDeleting} />}
        </ResourceView>
      </section>
      {deleting !== undefined && <DeleteTopicDialog name={deleting} onClose={() => setDeleting(undefined)} onDeleted={res.reload} />}
    </>
  );
}
