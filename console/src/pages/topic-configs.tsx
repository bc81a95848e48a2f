/**
 * A topic's configs: overrides first, the rest (broker values and defaults) on request.
 * Each writable entry can be edited in place (PATCH set) and an override can be removed
 * (PATCH delete, falling back to the broker's value); new overrides can be added.
 */
import { useState } from 'preact/hooks';
import { gregor } from '../api/endpoints.ts';
import type { ConfigEntry } from '../api/endpoints.ts';
import { ConfigSuggestions } from '../components/config-rows.tsx';
import { ResourceView } from '../components/status.tsx';
import { useResource } from '../lib/use-resource.ts';

const SOURCE_LABEL: Record<string, string> = {
  TOPIC_CONFIG: 'topic override',
  DYNAMIC_BROKER_CONFIG: 'broker (dynamic)',
  DYNAMIC_DEFAULT_BROKER_CONFIG: 'cluster default',
  STATIC_BROKER_CONFIG: 'broker config',
  DEFAULT_CONFIG: 'default',
};

function EditRow({ entry, onSave, onCancel }: { entry: ConfigEntry; onSave(value: string): Promise<void>; onCancel(): void }) {
  const [value, setValue] = useState(entry.value ?? '');
  const [error, setError] = useState<string | undefined>(undefined);
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await onSave(value);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form class="form-row" onSubmit={save}>
      <input class="grow mono" aria-label={`New value for ${entry.name}`} value={value} onInput={(e) => setValue(e.currentTarget.value)} autoFocus />
      <button type="submit" class="btn btn-small btn-primary">Save</button>
      <button type="button" class="btn btn-small" onClick={onCancel}>Cancel</button>
      {error !== undefined && <p class="form-error" role="alert">{error}</p>}
    </form>
  );
}

function ConfigRowView({ entry, topic, onChanged }: { entry: ConfigEntry; topic: string; onChanged(): void }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const override = entry.source === 'TOPIC_CONFIG';
  const reset = async () => {
    try {
      await gregor.alterTopicConfigs(topic, { delete: [entry.name] });
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <tr>
      <td class="mono" title={entry.documentation ?? undefined}>{entry.name}</td>
      <td class="mono">
        {editing ? (
          <EditRow entry={entry} onCancel={() => setEditing(false)} onSave={async (value) => {
            await gregor.alterTopicConfigs(topic, { set: { [entry.name]: value } });
            setEditing(false);
            onChanged();
          }} />
        ) : entry.sensitive ? '••••••' : (entry.value ?? <span class="muted">null</span>)}
        {error !== undefined && <p class="form-error" role="alert">{error}</p>}
      </td>
      <td><span class={override ? 'badge badge-accent' : 'badge'}>{SOURCE_LABEL[entry.source] ?? entry.source}</span></td>
      <td>
        {!entry.readOnly && !editing && (
          <div class="actions">
            <button type="button" class="btn btn-small" onClick={() => setEditing(true)} aria-label={`Edit ${entry.name}`}>Edit</button>
            {override && <button type="button" class="btn btn-small" onClick={reset} aria-label={`Reset ${entry.name} to the broker value`}>Reset</button>}
          </div>
        )}
      </td>
    </tr>
  );
}

function AddOverride({ topic, onChanged }: { topic: string; onChanged(): void }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await gregor.alterTopicConfigs(topic, { set: { [key]: value } });
      setKey('');
      setValue('');
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form onSubmit={submit} aria-label="Add a config override">
      <ConfigSuggestions id="override-keys" />
      <div class="form-row">
        <label class="field grow"><span>Config</span><input list="override-keys" value={key} onInput={(e) => setKey(e.currentTarget.value.trim())} placeholder="retention.ms" required /></label>
        <label class="field grow"><span>Value</span><input value={value} onInput={(e) => setValue(e.currentTarget.value)} required /></label>
        <button type="submit" class="btn btn-primary" disabled={key === ''}>Set override</button>
      </div>
      {error !== undefined && <p class="form-error" role="alert">{error}</p>}
    </form>
  );
}

export function TopicConfigs({ topic }: { topic: string }) {
  const res = useResource(() => gregor.topicConfigs(topic), [topic]);
  const [showAll, setShowAll] = useState(false);
  return (
    <section class="card" aria-labelledby="configs-title">
      <div class="card-head">
        <h2 id="configs-title">Configs</h2>
        <label><input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.currentTarget.checked)} /> Show defaults</label>
      </div>
      <ResourceView res={res} what="configs" feature="Topic configs">
        {(data) => {
          const sorted = [...data.configs].sort((a, b) => Number(b.source === 'TOPIC_CONFIG') - Number(a.source === 'TOPIC_CONFIG') || a.name.localeCompare(b.name));
          const shown = showAll ? sorted : sorted.filter((c) => c.source === 'TOPIC_CONFIG');
          return (
            <>
              {shown.length === 0 ? (
                <p class="muted">No overrides: every config has the broker's value.</p>
              ) : (
                <div class="table-wrap">
                  <table aria-label="Topic configs">
                    <thead><tr><th>Name</th><th>Value</th><th>Source</th><th><span class="sr-only">Actions</span></th></tr></thead>
                    <tbody>{shown.map((c) => <ConfigRowView key={c.name} entry={c} topic={topic} onChanged={res.reload} />)}</tbody>
                  </table>
                </div>
              )}
              <div style={{ marginTop: '16px' }}><AddOverride topic={topic} onChanged={res.reload} /></div>
            </>
          );
        }}
      </ResourceView>
    </section>
  );
}
