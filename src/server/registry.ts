/**
 * The set of APIs this broker serves: one handler per API key. ApiVersions advertises
 * exactly what is registered here, so an API exists for clients iff its handler does.
 */
import { apiByKey } from '../protocol/generated/api-table.ts';
import type { ApiHandler } from './api-handler.ts';

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export class ApiRegistry {
  readonly #handlers = new Map<number, ApiHandler>();

  /**
   * Adds a handler. Registering an API key twice, or a version range the generated
   * codecs do not cover, is a programming error.
   */
  register(handler: ApiHandler): this {
    const { apiKey, minVersion, maxVersion } = handler;
    const api = apiByKey.get(apiKey);
    if (api === undefined) throw new Error(`API key ${apiKey} has no generated codec`);
    if (this.#handlers.has(apiKey)) throw new Error(`${api.name} is already registered`);
    if (minVersion < api.minVersion || maxVersion > api.maxVersion || maxVersion < minVersion) {
      throw new Error(`${api.name}: versions ${minVersion}-${maxVersion} outside schema range ${api.minVersion}-${api.maxVersion}`);
    }
    this.#handlers.set(apiKey, handler);
    return this;
  }

  get(apiKey: number): ApiHandler | undefined {
    return this.#handlers.get(apiKey);
  }

  /** Registered API keys with their version ranges, ordered by API key. */
  versions(): ApiVersionRange[] {
    return [...this.#handlers.values()]
      .map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }
}
