/**
 * Transactions and producers: every transactional id the broker coordinates (state,
 * producer id and epoch, the open transaction's partitions and age, its timeout), and the
 * producers with state on the partitions it leads (last sequence and write, the first
 * offset of an open transaction), both polled.
 */
import { gregor } from '../api/endpoints.ts';
import type { PartitionProducer, TransactionsResponse } from '../api/endpoints.ts';
import { PageHead } from '../components/page-head.tsx';
import { ResourceView } from '../components/status.tsx';
import { formatDuration, formatNumber, formatTimestamp, plural } from '../lib/format.ts';
import { href } from '../lib/router.ts';
import { useResource } from '../lib/use-resource.ts';

const POLL_MS = 3000;

function txnStateBadge(state: string) {
  const cls = state === 'CompleteCommit' ? 'badge badge-ok' : state === 'CompleteAbort' ? 'badge badge-danger' : state === 'Empty' ? 'badge' : 'badge badge-warn';
  return <span class={cls}>{state}</span>;
}

const none = <span class="muted">—</span>;

function Transactions({ data }: { data: TransactionsResponse }) {
  if (data.transactions.length === 0) {
    return <p class="muted">No transactional ids yet. They appear when a producer with a transactional.id initializes.</p>;
  }
  return (
    <div class="table-wrap">
      <table aria-label="Transactions">
        <thead>
          <tr><th>Transactional id</th><th>State</th><th class="num">Producer id</th><th class="num">Epoch</th><th>Partitions in the open transaction</th><th class="num">Open for</th><th class="num">Timeout</th></tr>
        </thead>
        <tbody>
          {data.transactions.map((t) => (
            <tr key={t.transactionalId} data-testid={`txn-${t.transactionalId}`}>
              <td class="mono">{t.transactionalId}</td>
              <td>{txnStateBadge(t.state)}</td>
              <td class="num">{formatNumber(t.producerId)}</td>
              <td class="num">{t.producerEpoch}</td>
              <td>{t.partitions.length === 0 ? none : t.partitions.map((p) => `${p.topic}-${p.partition}`).sort().join(', ')}</td>
              <td class="num">{t.startedAtMs === null ? none : formatDuration(Math.max(0, data.now - t.startedAtMs))}</td>
              <td class="num">{formatDuration(t.timeoutMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Producers({ producers, truncated }: { producers: PartitionProducer[]; truncated: boolean }) {
  if (producers.length === 0) return <p class="muted">No producer has written to a partition this broker leads (or their state expired).</p>;
  return (
    <>
      {truncated && <p class="muted">Showing the first {formatNumber(producers.length)} producers.</p>}
      <div class="table-wrap">
        <table aria-label="Producers">
          <thead>
            <tr><th>Topic</th><th class="num">Partition</th><th class="num">Producer id</th><th class="num">Epoch</th><th class="num">Last sequence</th><th>Last write</th><th class="num">Open transaction from offset</th></tr>
          </thead>
          <tbody>
            {producers.map((p) => (
              <tr key={`${p.topic}-${p.partition}-${p.producerId}`}>
                <td><a href={href(['topics', p.topic])}>{p.topic}</a></td>
                <td class="num">{p.partition}</td>
                <td class="num">{formatNumber(p.producerId)}</td>
                <td class="num">{p.producerEpoch}</td>
                <td class="num">{formatNumber(p.lastSequence)}</td>
                <td class="mono">{formatTimestamp(p.lastTimestamp)}</td>
                <td class="num" data-testid={`producer-txn-${p.topic}-${p.partition}`}>{p.currentTxnStartOffset === null ? none : formatNumber(p.currentTxnStartOffset)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function TransactionsPage() {
  const txns = useResource(gregor.transactions, [], POLL_MS);
  const producers = useResource(gregor.producers, [], POLL_MS);
  return (
    <>
      <PageHead title="Transactions" subtitle={txns.data ? plural(txns.data.transactions.length, 'transactional id') : undefined} />
      <section class="card" aria-labelledby="txns-title">
        <h2 id="txns-title">Transactional ids</h2>
        <ResourceView res={txns} what="transactions" feature="Transactions">{(data) => <Transactions data={data} />}</ResourceView>
      </section>
      <section class="card" aria-labelledby="producers-title">
        <h2 id="producers-title">Producers</h2>
        <ResourceView res={producers} what="producers" feature="Producers">
          {(data) => <Producers producers={data.producers} truncated={data.truncated} />}
        </ResourceView>
      </section>
    </>
  );
}
