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
 * - kafka-python 3's test_describe_topic_partitions(_pagination): Gregor did not serve
 *   DescribeTopicPartitions (75), which Java's Admin.describeTopics uses since 3.8. Kafka
 *   answers the topics in name order with at most ResponsePartitionLimit partitions and a
 *   NextCursor where it stopped, resumes from a cursor, and answers
 *   UNKNOWN_TOPIC_OR_PARTITION for a missing named topic. Through @platformatic/kafka's
 *   protocol API (its Admin and the other clients here do not use the API; kafka-python
 *   2.0.2 cannot encode flexible versions).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Connection, describeTopicPartitionsV0, type ResponseError } from '@platformatic/kafka';
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

test('DescribeTopicPartitions pages through partitions with a cursor (@platformatic/kafka)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const [a, b] = ['python-suites-dtp-a', 'python-suites-dtp-b'];
  await admin.createTopics({ topics: [{ topic: b, numPartitions: 2 }, { topic: a, numPartitions: 3 }] });
  const connection = new Connection('compat-python-suites');
  await connection.connect(broker.host, broker.port);
  try {
    const page = async (limit: number, cursor?: { topicName: string; partitionIndex: number }) => {
      const r = await describeTopicPartitionsV0.api.async(connection, [{ name: b }, { name: a }], limit, cursor);
      return { topics: r.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.leaderId, p.replicaNodes])]), next: r.nextCursor };
    };
    const nodeId = broker.config.nodeId;
    const leader = (i: number) => [i, nodeId, [nodeId]];
    // Name order, cut after 2 partitions of the first topic.
    assert.deepEqual(await page(2), { topics: [[a, [leader(0), leader(1)]]], next: { topicName: a, partitionIndex: 2 } });
    // From the cursor: the rest of a, then b, which exactly uses up the limit.
    assert.deepEqual(await page(3, { topicName: a, partitionIndex: 2 }), { topics: [[a, [leader(2)]], [b, [leader(0), leader(1)]]], next: null });
    // The limit runs out exactly before the next topic: the cursor names its partition 0.
    assert.deepEqual(await page(3), { topics: [[a, [leader(0), leader(1), leader(2)]]], next: { topicName: b, partitionIndex: 0 } });
    await assert.rejects(describeTopicPartitionsV0.api.async(connection, [{ name: 'python-suites-dtp-missing' }], 10), (err: ResponseError) => {
      assert.deepEqual(err.response.topics.map((t: { name: string; errorCode: number }) => [t.name, t.errorCode]), [['python-suites-dtp-missing', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]);
      return true;
    });
  } finally {
    await connection.close();
  }
});
