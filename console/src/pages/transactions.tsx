/**
 * Transactions and producers: a placeholder until the broker exposes them. The nav entry
 * is hidden until GET api/transactions answers; if someone opens the address anyway, the
 * page shows the usual "not available" state, or the raw answer once there is one.
 */
import { api, ApiError } from '../api/client.ts';
import { PageHead } from '../components/page-head.tsx';
import { NotAvailable, ResourceView } from '../components/status.tsx';
import { useResource } from '../lib/use-resource.ts';

export function TransactionsPage() {
  const res = useResource(() => api.get<unknown>('transactions'), [], 5000);
  return (
    <>
      <PageHead title="Transactions" />
      {res.error instanceof ApiError && res.error.status === 404 ? <NotAvailable feature="Transactions" /> : <ResourceView res={res} what="transactions" feature="Transactions">
        {(data) => <pre class="payload card">{JSON.stringify(data, null, 2)}</pre>}
      </ResourceView>}
    </>
  );
}
