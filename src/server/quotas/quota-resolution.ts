/**
 * Which quota applies to a client, as Kafka's default ClientQuotaCallback (KIP-55). For one
 * quota key (producer_byte_rate, ...) the stored entities are searched in this order, the
 * first that sets the key wins:
 *
 *   1. user=<user>, client-id=<client-id>      5. user=<default>, client-id=<default>
 *   2. user=<user>, client-id=<default>        6. user=<default>
 *   3. user=<user>                             7. client-id=<client-id>
 *   4. user=<default>, client-id=<client-id>   8. client-id=<default>
 *
 * The level found also decides who shares a rate (Kafka's metric tags): a quota on the user
 * alone (3, 6) is shared by all that user's client ids (tags: user, ""); a client-id-only
 * quota (7, 8) by every user of that client id (tags: "", client-id); the others are per
 * (user, client-id). A default entity gives each matching client its own bucket.
 *
 * Without authentication every client is Kafka's anonymous principal, user "ANONYMOUS".
 */
import type { ClientQuota } from '../../cluster/client-quotas.ts';

/** KafkaPrincipal.ANONYMOUS's name: the user of every connection on a PLAINTEXT listener. */
export const ANONYMOUS_USER = 'ANONYMOUS';

/** Who shares one measured rate: Kafka's quota metric tags ("" = not part of the key). */
export interface QuotaTags {
  readonly user: string;
  readonly clientId: string;
}

/** One entity part: absent from the entity, the default entity, or a named one. */
type Part = { readonly kind: 'none' } | { readonly kind: 'default' } | { readonly kind: 'named'; readonly name: string };

const NONE: Part = { kind: 'none' };
const DEFAULT: Part = { kind: 'default' };
const named = (name: string): Part => ({ kind: 'named', name });

function partKey(part: Part): string {
  return part.kind === 'named' ? `=${part.name}` : part.kind === 'default' ? '*' : '-';
}

function entityKey(user: Part, clientId: Part): string {
  return `${partKey(user)}\u0000${partKey(clientId)}`;
}

/** The values of one quota key by (user, client-id) entity; entities of type "ip" are left out. */
export class QuotaLevels {
  readonly #bounds = new Map<string, number>();

  static from(quotas: Iterable<ClientQuota>, key: string): QuotaLevels {
    const levels = new QuotaLevels();
    for (const { entity, quotas: values } of quotas) {
      const value = values[key];
      if (value === undefined || entity.some((p) => p.entityType === 'ip')) continue;
      const part = (type: string): Part => {
        const p = entity.find((e) => e.entityType === type);
        return p === undefined ? NONE : p.entityName === null ? DEFAULT : named(p.entityName);
      };
      levels.#bounds.set(entityKey(part('user'), part('client-id')), value);
    }
    return levels;
  }

  /** True when some entity sets this key (Kafka measures nothing otherwise). */
  get enabled(): boolean {
    return this.#bounds.size > 0;
  }

  /** Kafka's quotaMetricTags: the level whose rate this client shares. */
  tagsFor(user: string, clientId: string): QuotaTags {
    const u = named(user);
    const c = named(clientId);
    if (this.#has(u, c) || this.#has(u, DEFAULT)) return { user, clientId };
    if (this.#has(u, NONE)) return { user, clientId: '' };
    if (this.#has(DEFAULT, c) || this.#has(DEFAULT, DEFAULT)) return { user, clientId };
    if (this.#has(DEFAULT, NONE)) return { user, clientId: '' };
    return { user: '', clientId };
  }

  /** Kafka's quotaLimit: the bound for a rate shared by `tags`, or null (unlimited). */
  limitFor(tags: QuotaTags): number | null {
    const { user, clientId } = tags;
    if (user !== '' && clientId !== '') {
      const u = named(user);
      const c = named(clientId);
      return this.#get(u, c) ?? this.#get(u, DEFAULT) ?? this.#get(DEFAULT, c) ?? this.#get(DEFAULT, DEFAULT);
    }
    if (user !== '') return this.#get(named(user), NONE) ?? this.#get(DEFAULT, NONE);
    if (clientId !== '') return this.#get(NONE, named(clientId)) ?? this.#get(NONE, DEFAULT);
    return null;
  }

  #has(user: Part, clientId: Part): boolean {
    return this.#bounds.has(entityKey(user, clientId));
  }

  #get(user: Part, clientId: Part): number | null {
    return this.#bounds.get(entityKey(user, clientId)) ?? null;
  }
}
