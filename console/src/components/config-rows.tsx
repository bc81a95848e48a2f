/**
 * Editable key = value rows for topic configs in the create-topic form. Key suggestions
 * come from a datalist of Kafka's common topic configs; any key may be typed (the broker
 * validates and answers INVALID_CONFIG with a message for unknown keys or bad values).
 */

export interface ConfigRow {
  key: string;
  value: string;
}

/** Common topic-level configs, offered as suggestions only. */
export const TOPIC_CONFIG_SUGGESTIONS = [
  'cleanup.policy',
  'compression.type',
  'delete.retention.ms',
  'max.message.bytes',
  'message.timestamp.type',
  'min.cleanable.dirty.ratio',
  'min.insync.replicas',
  'retention.bytes',
  'retention.ms',
  'segment.bytes',
  'segment.ms',
];

export function ConfigSuggestions({ id }: { id: string }) {
  return (
    <datalist id={id}>
      {TOPIC_CONFIG_SUGGESTIONS.map((k) => <option key={k} value={k} />)}
    </datalist>
  );
}

export function ConfigRows({ rows, onChange }: { rows: ConfigRow[]; onChange(rows: ConfigRow[]): void }) {
  const update = (i: number, patch: Partial<ConfigRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset>
      <legend>Configs</legend>
      <ConfigSuggestions id="topic-config-keys" />
      {rows.length === 0 && <p class="form-hint">Broker defaults apply. Add an override to set one for this topic.</p>}
      {rows.map((r, i) => (
        <div class="kv-row" key={i}>
          <input aria-label={`Config ${i + 1} name`} list="topic-config-keys" placeholder="retention.ms" value={r.key}
            onInput={(e) => update(i, { key: e.currentTarget.value.trim() })} />
          <input aria-label={`Config ${i + 1} value`} placeholder="value" value={r.value} onInput={(e) => update(i, { value: e.currentTarget.value })} />
          <button type="button" class="btn btn-small" aria-label={`Remove config ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" class="btn btn-small" style={{ marginTop: '10px' }} onClick={() => onChange([...rows, { key: '', value: '' }])}>
        Add config
      </button>
    </fieldset>
  );
}

export function rowsToConfigs(rows: ConfigRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) if (r.key !== '') out[r.key] = r.value;
  return out;
}
