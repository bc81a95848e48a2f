/**
 * Regressions found by running the Python clients' own test suites against Gregor
 * (tools/run-python-tests.sh, docs/COMPATIBILITY.md), reproduced through real clients so
 * `npm test` keeps them fixed without the suites' source trees:
 *
 * - kafka-python 3's test_elect_leaders: Gregor did not serve ElectLeaders (43). Kafka's
 *   controller answers ELECTION_NOT_NEEDED for a partition already led by its preferred
 *   replica, UNKNOWN_TOPIC_OR_PARTITION for unknown ones, leaves out the partitions that
 *   need no election when asked for all (null list), and refuses an unknown election type
 *   with INVALID_REQUEST. Through kafka-python 2.0.2's protocol layer (no other client
 *   here has the API: kafkajs, librdkafka 2.0.2 and @platformatic/kafka's Admin lack it).
 * - kafka-python 3's test_alter_partition_reassignments / test_list_partition_reassignments
 *   (and kafkajs's suite): Gregor did not serve AlterPartitionReassignments (45) and
 *   ListPartitionReassignments (46). On one broker a reassignment to the current replica
 *   list is Kafka's no-op (NONE), other targets fail Kafka's manual-assignment checks
 *   (INVALID_REPLICA_ASSIGNMENT), a cancel finds NO_REASSIGNMENT_IN_PROGRESS, and the list
 *   of ongoing reassignments is empty. Through kafkajs 2.2.4 (kafka-python 2.0.2 cannot
 *   encode these flexible-only requests).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { runPython } from './helpers/processes.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;

const { Kafka, logLevel } = kafkajs;

let broker: RunningBroker;
let admin: Admin;

before(async () => {
  broker = await startCompatBroker();
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'compat-python-suites', logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  admin = kafka.admin();
  await admin.connect();
});

after(async () => {
  await admin?.disconnect();
  await broker?.stop();
});

test('ElectLeaders answers as Kafka on one broker (kafka-python)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'python-suites-elect';
  const out = await runPython('kafka_python_elect_leaders.py', [broker.bootstrap, topic]);
  assert.deepEqual(out.named, {
    error_code: ErrorCode.NONE,
    results: {
      [topic]: { 0: ErrorCode.ELECTION_NOT_NEEDED, 1: ErrorCode.ELECTION_NOT_NEEDED, 9: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
      [`${topic}-missing`]: { 0: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
    },
  });
  // Every partition: listed topics, but no partition needs an election.
  const all = out.all as { error_code: number; results: Record<string, Record<string, number>> };
  assert.equal(all.error_code, ErrorCode.NONE);
  assert.deepEqual(all.results[topic], {});
  assert.deepEqual(out.bad_type, { error_code: ErrorCode.INVALID_REQUEST, results: { [topic]: { 0: ErrorCode.INVALID_REQUEST } } });
});

test('partition reassignments: no-op to the current replicas, invalid targets refused, none listed (kafkajs)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'python-suites-reassign';
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
  const nodeId = broker.config.nodeId;

  await admin.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition: 0, replicas: [nodeId] }] }] });
  await assert.rejects(
    admin.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition: 1, replicas: [nodeId, nodeId + 1] }] }] }),
    (err: Error & { errors?: { type: string }[] }) => {
      assert.match(JSON.stringify(err.errors ?? err.message), /INVALID_REPLICA_ASSIGNMENT|replica assignment/i);
      return true;
    },
  );
  assert.deepEqual(await admin.listPartitionReassignments({}), { topics: [] });
  assert.deepEqual(await admin.listPartitionReassignments({ topics: [{ topic, partitions: [0, 1] }] }), { topics: [] });
});
