/**
 * Every /api route (docs/HTTP-API.md), built from the broker's services and metrics.
 */
import type { Route } from '../router.ts';
import type { ApiContext } from './context.ts';
import { groupRoutes } from './groups.ts';
import { messageRoutes } from './messages.ts';
import { overviewRoutes } from './overview.ts';
import { topicConfigRoutes } from './topic-configs.ts';
import { topicRoutes } from './topics.ts';
import { transactionRoutes } from './transactions.ts';

export type { ApiContext } from './context.ts';

export function apiRoutes(ctx: ApiContext): Route[] {
  return [
    ...overviewRoutes(ctx),
    ...topicRoutes(ctx),
    ...topicConfigRoutes(ctx),
    ...messageRoutes(ctx),
    ...groupRoutes(ctx),
    ...transactionRoutes(ctx),
  ];
}
