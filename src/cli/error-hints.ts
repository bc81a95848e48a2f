/**
 * What to do about a failed command: a one-line hint printed under `gregor: <error>` for
 * the failures people hit most (no broker at the address, unknown or existing topic,
 * a rejected config, a group with live members). Null when there is nothing useful to add.
 */
import { ConnectionError, KafkaResponseError } from './client/kafka-error.ts';

const HINTS_BY_ERROR_NAME: Readonly<Record<string, string>> = {
  UNKNOWN_TOPIC_OR_PARTITION: 'list topics with `gregor topics list`; create one with `gregor topics create <name>`',
  TOPIC_ALREADY_EXISTS: 'pick another name, or delete the topic first with `gregor topics delete <name>`',
  INVALID_CONFIG: 'see valid keys and current values with `gregor configs describe --topic <name> --all`',
  INVALID_REPLICATION_FACTOR: 'the replication factor cannot exceed the number of brokers (1 for a single `gregor start`)',
  INVALID_PARTITIONS: 'the partition count must be at least 1 (and can only grow)',
  TOPIC_DELETION_DISABLED: 'the broker runs with delete.topic.enable=false; set it to true to delete topics',
  NON_EMPTY_GROUP: 'stop the group\'s consumers first; `gregor groups describe <group>` lists its members',
  GROUP_ID_NOT_FOUND: 'list groups with `gregor groups list`',
  COORDINATOR_NOT_AVAILABLE: 'the group coordinator is starting; retry in a few seconds',
  POLICY_VIOLATION: 'the broker\'s policy refused the change; see the message above',
};

export function hintFor(err: unknown): string | null {
  if (err instanceof KafkaResponseError) return HINTS_BY_ERROR_NAME[err.errorName] ?? null;
  if (err instanceof ConnectionError || /ECONNREFUSED|cannot connect/.test(String((err as Error)?.message))) {
    return 'is a broker running there? Start one with `gregor start`, or name yours with --bootstrap-server host:port';
  }
  return null;
}
