/**
 * Message browser: pick a partition and where to start (latest N, an offset, or a time),
 * then page through records. The query lives in the URL so a view can be shared or
 * reloaded. A filter box narrows the loaded page by key, value or header text; "live"
 * re-reads the latest records every few seconds.
 */
import { useMemo, useState } from 'preact/hooks';
import { gregor } from '../api/endpoints.ts';
import type { MessagesFrom, MessagesResponse } from '../api/endpoints.ts';
import { PageHead } from '../components/page-head.tsx';
import { ResourceView } from '../components/status.tsx';
import type { ViewMode } from '../lib/codec.ts';
import { formatNumber } from '../lib/format.ts';
import { href, navigate } from '../lib/router.ts';
import { useResource } from '../lib/use-resource.ts';
import { MessageRows, searchableText } from './message-row.tsx';

/** Records per page unless the URL says otherwise; the API caps what it returns anyway. */
const DEFAULT_LIMIT = 50;
const LIMIT_MAX = 500;
const LIVE_POLL_MS = 2000;

type FromKind = 'latest' | 'offset' | 'timestamp';

interface BrowseQuery {
  partition: number;
  kind: FromKind;
  /** Offset, epoch ms, or N for latest. */
  at: number;
  limit: number;
}

function readQuery(q: URLSearchParams): BrowseQuery {
  const kind = (['latest', 'offset', 'timestamp'] as const).find((k) => k === q.get('from')) ?? 'latest';
  const limit = Math.min(LIMIT_MAX, Math.max(1, Number(q.get('limit')) || DEFAULT_LIMIT));
  const at = Number(q.get('at'));
  return { partition: Math.max(0, Number(q.get('partition')) || 0), kind, at: Number.isFinite(at) && q.has('at') ? at : kind === 'latest' ? limit : 0, limit };
}

function fromOf(q: BrowseQuery): MessagesFrom {
  if (q.kind === 'offset') return { offset: q.at };
  if (q.kind === 'timestamp') return { timestamp: q.at };
  return { latest: q.at };
}

function go(topic: string, q: BrowseQuery): void {
  navigate(href(['topics', topic, 'messages'], { partition: q.partition, from: q.kind, at: q.at, limit: q.limit }), true);
}

/** datetime-local value (local time) ⇄ epoch ms. */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}

function QueryForm({ topic, partitions, q }: { topic: string; partitions: number; q: BrowseQuery }) {
  const [kind, setKind] = useState<FromKind>(q.kind);
  const [partition, setPartition] = useState(q.partition);
  const [latestN, setLatestN] = useState(String(q.kind === 'latest' ? q.at : DEFAULT_LIMIT));
  const [offset, setOffset] = useState(String(q.kind === 'offset' ? q.at : 0));
  const [time, setTime] = useState(toLocalInput(q.kind === 'timestamp' ? q.at : Date.now() - 3600_000));
  const [limit, setLimit] = useState(String(q.limit));

  const submit = (e: Event) => {
    e.preventDefault();
    const lim = Math.min(LIMIT_MAX, Math.max(1, Number(limit) || DEFAULT_LIMIT));
    const at = kind === 'latest' ? Math.min(LIMIT_MAX, Math.max(1, Number(latestN) || lim)) : kind === 'offset' ? Math.max(0, Number(offset) || 0) : new Date(time).getTime();
    go(topic, { partition, kind, at, limit: kind === 'latest' ? at : lim });
  };

  return (
    <form class="toolbar" onSubmit={submit} aria-label="What to read">
      <label class="field">
        <span>Partition</span>
        <select value={partition} onChange={(e) => setPartition(Number(e.currentTarget.value))} name="partition">
          {Array.from({ length: partitions }, (_, p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </label>
      <div class="field">
        <span id="from-label">Start from</span>
        <div class="segmented" role="radiogroup" aria-labelledby="from-label">
          {(['latest', 'offset', 'timestamp'] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="from" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {k === 'latest' ? 'Latest' : k === 'offset' ? 'Offset' : 'Time'}
            </label>
          ))}
        </div>
      </div>
      {kind === 'latest' && (
        <label class="field"><span>Last N records</span><input type="number" min={1} max={LIMIT_MAX} value={latestN} onInput={(e) => setLatestN(e.currentTarget.value)} style={{ width: '110px' }} name="latest" /></label>
      )}
      {kind === 'offset' && (
        <label class="field"><span>From offset</span><input type="number" min={0} value={offset} onInput={(e) => setOffset(e.currentTarget.value)} style={{ width: '140px' }} name="offset" /></label>
      )}
      {kind === 'timestamp' && (
        <label class="field"><span>From time (local)</span><input type="datetime-local" step={1} value={time} onInput={(e) => setTime(e.currentTarget.value)} name="timestamp" /></label>
      )}
      {kind !== 'latest' && (
        <label class="field"><span>Max records</span><input type="number" min={1} max={LIMIT_MAX} value={limit} onInput={(e) => setLimit(e.currentTarget.value)} style={{ width: '100px' }} name="limit" /></label>
      )}
      <button type="submit" class="btn btn-primary">Read</button>
    </form>
  );
}

function Results({ topic, q, data, filter, mode }: { topic: string; q: BrowseQuery; data: MessagesResponse; filter: string; mode: ViewMode }) {
  const [open, setOpen] = useState<number | undefined>(undefined);
  const needle = filter.trim().toLowerCase();
  const shown = useMemo(() => (needle === '' ? data.messages : data.messages.filter((m) => searchableText(m).includes(needle))), [data, needle]);
  const first = data.messages[0]?.offset;
  const older = first === undefined ? undefined : Math.max(data.logStartOffset, first - q.limit);
  return (
    <>
      <p class="muted" aria-live="polite" data-testid="messages-summary">
        {data.messages.length === 0
          ? `No records here. Partition ${data.partition} holds offsets ${formatNumber(data.logStartOffset)} to ${formatNumber(data.highWatermark - 1)}.`
          : `${shown.length === data.messages.length ? formatNumber(shown.length) : `${formatNumber(shown.length)} of ${formatNumber(data.messages.length)}`} records · offsets ${formatNumber(first)}–${formatNumber(data.messages[data.messages.length - 1].offset)} · partition holds ${formatNumber(data.logStartOffset)}–${formatNumber(data.highWatermark - 1)}`}
      </p>
      {shown.length > 0 && (
        <div class="table-wrap">
          <table aria-label="Messages">
            <thead><tr><th class="num">Offset</th><th>Timestamp</th><th>Key</th><th>Value</th><th class="num">Headers</th></tr></thead>
            <tbody>
              {shown.map((m) => <MessageRows key={m.offset} m={m} mode={mode} open={open === m.offset} onToggle={() => setOpen(open === m.offset ? undefined : m.offset)} />)}
            </tbody>
          </table>
        </div>
      )}
      <div class="pager">
        <button type="button" class="btn btn-small" disabled={older === undefined || first === undefined || first <= data.logStartOffset}
          onClick={() => go(topic, { ...q, kind: 'offset', at: older ?? 0 })}>← Older</button>
        <button type="button" class="btn btn-small" disabled={data.nextOffset >= data.highWatermark}
          onClick={() => go(topic, { ...q, kind: 'offset', at: data.nextOffset })}>Newer →</button>
      </div>
    </>
  );
}

export function MessagesPage({ topic, query }: { topic: string; query: URLSearchParams }) {
  const q = readQuery(query);
  const topicRes = useResource(() => gregor.topic(topic), [topic]);
  const [live, setLive] = useState(false);
  const [filter, setFilter] = useState('');
  const [mode, setMode] = useState<ViewMode>('auto');
  const res = useResource(() => gregor.messages(topic, q.partition, fromOf(q), q.limit), [topic, q.partition, q.kind, q.at, q.limit], live && q.kind === 'latest' ? LIVE_POLL_MS : undefined);

  return (
    <>
      <PageHead title="Messages" crumbs={<><a href="#/topics">Topics</a> / <a href={href(['topics', topic])}>{topic}</a></>} subtitle={<>Topic <code>{topic}</code>, partition {q.partition}</>}>
        <button type="button" class="btn" onClick={res.reload}>Refresh</button>
      </PageHead>
      <section class="card">
        <ResourceView res={topicRes} what="the topic">
          {(t) => <QueryForm key={`${q.partition}-${q.kind}-${q.at}-${q.limit}`} topic={topic} partitions={t.partitions} q={q} />}
        </ResourceView>
        <div class="toolbar">
          <label class="field grow">
            <span>Filter</span>
            <input type="search" placeholder="Text in key, value or headers…" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} name="filter" />
          </label>
          <label class="field">
            <span>Show as</span>
            <select value={mode} onChange={(e) => setMode(e.currentTarget.value as ViewMode)} name="mode">
              <option value="auto">Auto</option>
              <option value="text">Text</option>
              <option value="json">JSON</option>
              <option value="hex">Hex</option>
            </select>
          </label>
          <label title="Only for Latest">
            <input type="checkbox" checked={live} disabled={q.kind !== 'latest'} onChange={(e) => setLive(e.currentTarget.checked)} /> Live
          </label>
        </div>
        <ResourceView res={res} what="messages">
          {(data) => <Results topic={topic} q={q} data={data} filter={filter} mode={mode} />}
        </ResourceView>
      </section>
    </>
  );
}
