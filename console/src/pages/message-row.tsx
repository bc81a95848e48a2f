/**
 * One record in the message browser: a summary row (offset, time, key, value preview,
 * headers) and, when expanded, a detail row with key, value and headers rendered as
 * text / JSON / hex.
 */
import type { EncodedBytes, Message } from '../api/endpoints.ts';
import { base64ToBytes, preview, render } from '../lib/codec.ts';
import type { ViewMode } from '../lib/codec.ts';
import { formatBytes, formatTimestamp } from '../lib/format.ts';

export function bytesOf(e: EncodedBytes | null): Uint8Array | null {
  return e === null ? null : base64ToBytes(e.base64);
}

/** Text a filter matches against: key, value and headers, as UTF-8 where they are text. */
export function searchableText(m: Message): string {
  const text = (e: EncodedBytes | null) => (e === null ? '' : (e.text ?? ''));
  return [text(m.key), text(m.value), ...m.headers.map((h) => `${h.key}=${text(h.value)}`)].join('\n').toLowerCase();
}

function Payload({ label, bytes, mode }: { label: string; bytes: Uint8Array | null; mode: ViewMode }) {
  if (bytes === null) return (<><h3>{label} <span class="badge">null</span></h3></>);
  const r = render(bytes, mode);
  return (
    <>
      <h3>{label} <span class="badge">{r.mode}</span> <span class="muted">{formatBytes(bytes.length)}</span></h3>
      <pre class={r.mode === 'hex' ? 'payload payload-hex' : 'payload'} data-testid={`payload-${label.toLowerCase()}`}>{r.text}</pre>
    </>
  );
}

function Detail({ m, mode }: { m: Message; mode: ViewMode }) {
  return (
    <div class="detail-grid">
      <div>
        <dl class="meta">
          <dt>Partition</dt><dd>{m.partition}</dd>
          <dt>Offset</dt><dd>{m.offset}</dd>
          <dt>Timestamp</dt><dd>{formatTimestamp(m.timestamp)} <span class="muted">({m.timestampType}, {m.timestamp})</span></dd>
        </dl>
        <Payload label="Key" bytes={bytesOf(m.key)} mode={mode} />
        <h3 style={{ marginTop: '12px' }}>Headers <span class="badge">{m.headers.length}</span></h3>
        {m.headers.length === 0 ? <p class="muted">None</p> : (
          <table class="compact" aria-label="Headers">
            <tbody>
              {m.headers.map((h, i) => (
                <tr key={i}><td class="mono">{h.key}</td><td class="mono">{h.value === null ? <span class="muted">null</span> : preview(bytesOf(h.value), 200)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div><Payload label="Value" bytes={bytesOf(m.value)} mode={mode} /></div>
    </div>
  );
}

export function MessageRows({ m, open, mode, onToggle }: { m: Message; open: boolean; mode: ViewMode; onToggle(): void }) {
  const detailId = `msg-${m.partition}-${m.offset}`;
  return (
    <>
      <tr class={open ? 'selected' : undefined} data-offset={m.offset}>
        <td class="num">
          <button type="button" class="row-button" aria-expanded={open} aria-controls={detailId} onClick={onToggle}>
            {m.offset}
          </button>
        </td>
        <td style={{ whiteSpace: 'nowrap' }}>{formatTimestamp(m.timestamp)}</td>
        <td class="cell-preview" style={{ maxWidth: '200px' }}>{preview(bytesOf(m.key), 60)}</td>
        <td class="cell-preview">{preview(bytesOf(m.value))}</td>
        <td class="num">{m.headers.length || <span class="muted">—</span>}</td>
      </tr>
      {open && (
        <tr class="message-detail" id={detailId}>
          <td colSpan={5}><Detail m={m} mode={mode} /></td>
        </tr>
      )}
    </>
  );
}
