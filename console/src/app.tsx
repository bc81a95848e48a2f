/**
 * The console shell: sidebar navigation, a connection indicator fed by the overview poll,
 * and the page for the current hash route.
 */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { gregor } from './api/endpoints.ts';
import type { OverviewResponse } from './api/endpoints.ts';
import { Logo } from './components/logo.tsx';
import { useRoute } from './lib/router.ts';
import type { Route } from './lib/router.ts';
import { useResource } from './lib/use-resource.ts';
import { GroupPage } from './pages/group.tsx';
import { GroupsPage } from './pages/groups.tsx';
import { MessagesPage } from './pages/messages.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { TopicPage } from './pages/topic.tsx';
import { TopicsPage } from './pages/topics.tsx';
import { TransactionsPage } from './pages/transactions.tsx';

/** How often the shell re-checks that the broker answers. */
const HEARTBEAT_MS = 5000;

function page(route: Route): { section: string; title: string; body: ComponentChildren } {
  const [first, second, third] = route.segments;
  if (first === undefined) return { section: 'overview', title: 'Overview', body: <OverviewPage /> };
  if (first === 'topics' && second === undefined) return { section: 'topics', title: 'Topics', body: <TopicsPage /> };
  if (first === 'topics' && third === undefined) return { section: 'topics', title: second, body: <TopicPage name={second} /> };
  if (first === 'topics' && third === 'messages') return { section: 'topics', title: `${second} · messages`, body: <MessagesPage topic={second} query={route.query} /> };
  if (first === 'groups' && second === undefined) return { section: 'groups', title: 'Consumer groups', body: <GroupsPage /> };
  if (first === 'groups') return { section: 'groups', title: second, body: <GroupPage groupId={second} /> };
  if (first === 'transactions') return { section: 'transactions', title: 'Transactions', body: <TransactionsPage /> };
  return { section: '', title: 'Not found', body: <NotFoundPage /> };
}

function NavLink({ to, section, current, children }: { to: string; section: string; current: string; children: ComponentChildren }) {
  return (
    <li>
      <a href={to} aria-current={section === current ? 'page' : undefined}>
        {children}
      </a>
    </li>
  );
}

function Connection({ overview, error }: { overview: OverviewResponse | undefined; error: unknown }) {
  if (error !== undefined) return <p role="status"><span class="dot dot-bad" aria-hidden="true" />Broker not answering</p>;
  if (overview === undefined) return <p role="status"><span class="dot" aria-hidden="true" />Connecting…</p>;
  return (
    <p role="status" title={`cluster ${overview.clusterId}`}>
      <span class="dot dot-ok" aria-hidden="true" />
      Broker {overview.nodeId} · v{overview.version}
    </p>
  );
}

export function App() {
  const route = useRoute();
  const heartbeat = useResource(gregor.overview, [], HEARTBEAT_MS);
  const { section, title, body } = page(route);

  useEffect(() => {
    document.title = `${title} · Gregor`;
  }, [title]);

  return (
    <div class="shell">
      {/* A real #fragment would change the hash route, so the skip link moves focus itself. */}
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <nav class="sidebar" aria-label="Main">
        <div class="sidebar-inner">
        <a class="brand" href="#/">
          <Logo />
          <span>
            Gregor<small>Kafka-compatible broker</small>
          </span>
        </a>
        <ul class="nav">
          <NavLink to="#/" section="overview" current={section}>Overview</NavLink>
          <NavLink to="#/topics" section="topics" current={section}>Topics</NavLink>
          <NavLink to="#/groups" section="groups" current={section}>Consumer groups</NavLink>
          <NavLink to="#/transactions" section="transactions" current={section}>Transactions</NavLink>
        </ul>
        <div class="sidebar-foot">
          <Connection overview={heartbeat.data} error={heartbeat.error} />
        </div>
        </div>
      </nav>
      <main id="main" class="content" tabIndex={-1}>{body}</main>
    </div>
  );
}
