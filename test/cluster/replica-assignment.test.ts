import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KafkaApiError } from '../../src/cluster/kafka-api-error.ts';
import { assignmentsByPartition, assignReplicas, checkManualAssignments } from '../../src/cluster/replica-assignment.ts';
import { ErrorCode } from '../../src/protocol/errors.ts';

function invalidAssignment(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof KafkaApiError);
    assert.equal(err.code, ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    assert.match(err.message, pattern);
    return true;
  });
}

test('round-robin placement spreads leaders and uses distinct brokers per partition', () => {
  assert.deepEqual(assignReplicas([3, 1, 2], 0, 4, 2), [[1, 2], [2, 3], [3, 1], [1, 2]]);
  assert.deepEqual(assignReplicas([1, 2, 3], 2, 2, 3), [[3, 1, 2], [1, 2, 3]]);
});

test('manual assignments must agree on the replication factor', () => {
  checkManualAssignments([[1, 2], [2, 3]], [1, 2, 3]);
  invalidAssignment(() => checkManualAssignments([[1, 2], [3]], [1, 2, 3]), /1 replica\(s\).*which have 2 replica\(s\)/);
  invalidAssignment(() => checkManualAssignments([[1]], [1, 2, 3], 2), /which have 2 replica\(s\)/);
});

test('manual assignment brokers are checked in ascending order', () => {
  invalidAssignment(() => checkManualAssignments([[9, 1, 7]], [1, 2]), /includes broker 7, but/);
  invalidAssignment(() => checkManualAssignments([[2, 1, 2]], [1, 2]), /the broker 2 more than once/);
});

test('CreateTopics assignment entries become a list by partition', () => {
  assert.deepEqual(assignmentsByPartition([{ partitionIndex: 1, brokerIds: [2] }, { partitionIndex: 0, brokerIds: [1] }]), [[1], [2]]);
  invalidAssignment(
    () => assignmentsByPartition([{ partitionIndex: 0, brokerIds: [1] }, { partitionIndex: 0, brokerIds: [2] }]),
    /multiple manual partition assignments for partition 0/,
  );
  invalidAssignment(
    () => assignmentsByPartition([{ partitionIndex: 0, brokerIds: [1] }, { partitionIndex: 2, brokerIds: [2] }]),
    /consecutive 0-based/,
  );
});
