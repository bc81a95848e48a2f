/**
 * Loading, error and "not available" states shared by every page. A 501 from the API means
 * the broker has no such feature yet (consumer groups before the group coordinator); that
 * is shown as a calm explanation, not as an error.
 */
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client.ts';
import type { Resource } from '../lib/use-resource.ts';

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function NotAvailable({ feature, children }: { feature: string; children?: ComponentChildren }) {
  return (
    <section class="card empty-state" aria-labelledby="na-title" data-testid="not-available">
      <h2 id="na-title">{feature}: not available yet</h2>
      <p>This broker does not offer {feature.toLowerCase()} through its admin API yet (it answered 501 Not Implemented).</p>
      {children}
    </section>
  );
}

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <div class="banner banner-error" role="alert">
      <span>
        {code !== undefined && <strong>{code}: </strong>}
        {message}
      </span>
      {onRetry && (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function isNotAvailable(error: unknown): boolean {
  return error instanceof ApiError && error.notAvailable;
}

/** Renders the right state for a resource: not available, error without data, loading, or the content. */
export function ResourceView<T>({ res, what, feature, children }: {
  res: Resource<T>;
  what: string;
  feature?: string;
  children: (data: T) => ComponentChildren;
}) {
  if (feature !== undefined && isNotAvailable(res.error)) return <NotAvailable feature={feature} />;
  if (res.data === undefined) {
    if (res.error !== undefined) return <ErrorBanner error={res.error} onRetry={res.reload} />;
    return <Loading what={what} />;
  }
  return (
    <>
      {res.error !== undefined && <ErrorBanner error={res.error} onRetry={res.reload} />}
      {children(res.data)}
    </>
  );
}
