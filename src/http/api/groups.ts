/**
 * /api/groups: consumer groups, their members, assignments and lag, and offset resets.
 * The group coordinator (src/coordinator/) is not part of the broker yet: until it is,
 * every group endpoint answers 501 NOT_IMPLEMENTED with a message saying so, and the
 * console shows that instead of an empty list that would look like "no groups".
 */
import { HttpError } from '../http-error.ts';
import type { Route } from '../router.ts';

function notYet(): never {
  throw new HttpError(501, 'NOT_IMPLEMENTED', 'consumer groups are not available yet: this broker has no group coordinator');
}

export function groupRoutes(): Route[] {
  return [
    { method: 'GET', pattern: '/api/groups', handler: notYet },
    { method: 'GET', pattern: '/api/groups/:id', handler: notYet },
    { method: 'POST', pattern: '/api/groups/:id/reset-offsets', handler: notYet },
  ];
}
