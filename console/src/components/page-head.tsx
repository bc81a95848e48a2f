/** Page heading with optional breadcrumbs, a subtitle and action buttons on the right. */
import type { ComponentChildren } from 'preact';

export function PageHead({ title, crumbs, subtitle, children }: {
  title: ComponentChildren;
  crumbs?: ComponentChildren;
  subtitle?: ComponentChildren;
  children?: ComponentChildren;
}) {
  return (
    <header class="page-head">
      <div>
        {crumbs !== undefined && <nav class="crumbs" aria-label="Breadcrumb">{crumbs}</nav>}
        <h1>{title}</h1>
        {subtitle !== undefined && <p class="muted">{subtitle}</p>}
      </div>
      {children !== undefined && <div class="actions">{children}</div>}
    </header>
  );
}

export function Stat({ label, value, testId }: { label: string; value: ComponentChildren; testId?: string }) {
  return (
    <div class="card stat">
      <dl>
        <dt>{label}</dt>
        <dd data-testid={testId}>{value}</dd>
      </dl>
    </div>
  );
}
