/**
 * A small method + path router for the admin HTTP server. Patterns are literal segments
 * and `:name` parameters (`/api/topics/:name/configs`); a parameter matches one
 * URL-decoded segment. A path that matches a pattern under another method answers 405.
 */
import { HttpError } from './http-error.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route handler sees of the request. */
export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body (undefined when there was none). */
  readonly body: unknown;
}

/** A handler's answer: JSON (`json`) or bytes/text with a content type (`raw`). */
export type RouteReply =
  | { readonly status?: number; readonly json: unknown }
  | { readonly status?: number; readonly contentType: string; readonly raw: string | Buffer };

export type RouteHandler = (req: RouteRequest) => Promise<RouteReply> | RouteReply;

export interface Route {
  readonly method: HttpMethod;
  readonly pattern: string;
  readonly handler: RouteHandler;
}

interface CompiledRoute extends Route {
  readonly segments: readonly string[];
}

export interface RouteMatch {
  readonly handler: RouteHandler;
  readonly params: Record<string, string>;
}

export class Router {
  readonly #routes: CompiledRoute[] = [];

  add(routes: readonly Route[]): this {
    for (const route of routes) this.#routes.push({ ...route, segments: splitPath(route.pattern) });
    return this;
  }

  /** The route for method + path; null when no pattern matches; throws 405 on a wrong method. */
  match(method: string, path: string): RouteMatch | null {
    const segments = splitPath(path);
    let methodMismatch = false;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments);
      if (params === null) continue;
      if (route.method === method) return { handler: route.handler, params };
      methodMismatch = true;
    }
    if (methodMismatch) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`);
    return null;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i];
    if (want.startsWith(':')) {
      try {
        params[want.slice(1)] = decodeURIComponent(actual[i]);
      } catch {
        return null;
      }
    } else if (want !== actual[i]) {
      return null;
    }
  }
  return params;
}
