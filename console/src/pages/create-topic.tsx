/**
 * The create-topic form: name, partitions, replication factor and config overrides. Empty
 * partition / replication fields leave the broker's defaults (num.partitions,
 * default.replication.factor). On success the caller navigates to the new topic.
 */
import { useState } from 'preact/hooks';
import { gregor } from '../api/endpoints.ts';
import { ConfigRows, rowsToConfigs } from '../components/config-rows.tsx';
import type { ConfigRow } from '../components/config-rows.tsx';

/** Kafka's legal topic name: 1–249 of [a-zA-Z0-9._-], not "." or "..". */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

function optionalPositive(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

export function CreateTopicForm({ onCreated, onCancel }: { onCreated(name: string): void; onCancel(): void }) {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('');
  const [replication, setReplication] = useState('');
  const [configs, setConfigs] = useState<ConfigRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const nameProblem = name !== '' && (!TOPIC_NAME.test(name) || name === '.' || name === '..') ? 'Use 1–249 letters, digits, ".", "_" or "-".' : undefined;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (nameProblem !== undefined || name === '') return;
    setBusy(true);
    setError(undefined);
    try {
      await gregor.createTopic({ name, partitions: optionalPositive(partitions), replicationFactor: optionalPositive(replication), configs: rowsToConfigs(configs) });
      onCreated(name);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="create-title">
      <h2 id="create-title">Create topic</h2>
      <form onSubmit={submit}>
        <div class="form-row">
          <label class="field grow">
            <span>Name</span>
            <input name="name" required value={name} onInput={(e) => setName(e.currentTarget.value.trim())} placeholder="orders"
              aria-invalid={nameProblem !== undefined} aria-describedby="name-hint" autoFocus />
          </label>
          <label class="field">
            <span>Partitions</span>
            <input name="partitions" type="number" min={1} value={partitions} onInput={(e) => setPartitions(e.currentTarget.value)} placeholder="default" style={{ width: '110px' }} />
          </label>
          <label class="field">
            <span>Replication factor</span>
            <input name="replicationFactor" type="number" min={1} value={replication} onInput={(e) => setReplication(e.currentTarget.value)} placeholder="default" style={{ width: '140px' }} />
          </label>
        </div>
        <p id="name-hint" class={nameProblem ? 'form-error' : 'form-hint'}>{nameProblem ?? 'Letters, digits, ".", "_" and "-".'}</p>
        <div style={{ marginTop: '12px' }}>
          <ConfigRows rows={configs} onChange={setConfigs} />
        </div>
        {error !== undefined && <p class="form-error" role="alert">{error}</p>}
        <div class="dialog-actions">
          <button type="button" class="btn" onClick={onCancel}>Cancel</button>
          <button type="submit" class="btn btn-primary" disabled={busy || name === '' || nameProblem !== undefined}>
            {busy ? 'Creating…' : 'Create topic'}
          </button>
        </div>
      </form>
    </section>
  );
}
