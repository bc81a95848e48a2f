/**
 * Shared by the consumer-group compatibility tests (groups-*.test.ts): waiting for a
 * condition that real clients reach on their own schedule (with a deadline that fails the
 * test with what was last seen, never a timing assertion), and the group's committed
 * offsets and members read with the CLI's Kafka client.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaClient } from '../../src/cli/client/kafka-client.ts';
import { describeGroup, fetchCommittedOffsets } from '../../src/cli/client/groups.ts';
import type { DescribedGroup } from '../../src/cli/client/groups.ts';

const POLL_INTERVAL_MS = 100;
/** Deadline of one wait: long enough for a session timeout plus a rebalance, far below the test timeout. */
export const WAIT_DEADLINE_MS_DEFAULT = 30_000;

/** Polls `check` until it returns true; on the deadline throws with `describe()`'s view of the state. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, describe: () => unknown = () => '',
  deadlineMs = WAIT_DEADLINE_MS_DEFAULT): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(describe())}`);
    await sleep(POLL_INTERVAL_MS);
  }
}

/** A client of the CLI's own Kafka library, for looking at groups from the broker's side. */
export class GroupInspector {
  readonly #client: KafkaClient;

  constructor(bootstrap: string) {
    this.#client = new KafkaClient({ bootstrapServers: [bootstrap], clientId: 'groups-inspector' });
  }

  /** Committed offset per partition of `topic` ("partition" -> offset). */
  async committed(groupId: string, topic: string): Promise<Map<number, number>> {
    const offsets = await fetchCommittedOffsets(this.#client, groupId);
    return new Map(offsets.filter((o) => o.topic === topic).map((o) => [o.partition, o.offset]));
  }

  describe(groupId: string): Promise<DescribedGroup> {
    return describeGroup(this.#client, groupId);
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}

/** "topic-partition@offset" keys seen more than once. */
export function duplicates(keys: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([k]) => k);
}
