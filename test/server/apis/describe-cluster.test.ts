import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import type { DescribeClusterResponse } from '../../../src/protocol/generated/describe-cluster.ts';
import { AUTHORIZED_OPERATIONS_OMITTED, CLUSTER_OPERATIONS_ALL } from '../../../src/server/apis/metadata.ts';
import { startTestBroker } from '../../helpers/broker.ts';
import type { TestBroker } from '../../helpers/broker.ts';
import { KafkaTestClient } from '../../helpers/kafka-client.ts';

describe('DescribeCluster', () => {
  let broker: TestBroker;
  let client: KafkaTestClient;

  before(async () => {
    broker = await startTestBroker({ 'broker.rack': 'rack-a' });
    client = await KafkaTestClient.connect(broker.port);
  });

  after(async () => {
    client.close();
    await broker.stopAndRemove();
  });

  test('v0 and v1 describe brokers, cluster id and controller', async () => {
    for (const v of [0, 1]) {
      const res = await client.request<DescribeClusterResponse>(ApiKey.DescribeCluster, v, { endpointType: 1 });
      assert.equal(res.errorCode, ErrorCode.NONE);
      assert.equal(res.clusterId, broker.services.metadata.image().clusterId);
      assert.equal(res.controllerId, 1);
      assert.deepEqual(res.brokers, [{ brokerId: 1, host: '127.0.0.1', port: broker.port, rack: 'rack-a' }]);
      assert.equal(res.clusterAuthorizedOperations, AUTHORIZED_OPERATIONS_OMITTED);
      assert.equal(res.endpointType, 1);
    }
  });

  test('authorized operations when asked for', async () => {
    const res = await client.request<DescribeClusterResponse>(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: true });
    assert.equal(res.clusterAuthorizedOperations, CLUSTER_OPERATIONS_ALL);
  });

  test('asking a broker for controllers is UNSUPPORTED_ENDPOINT_TYPE', async () => {
    const res = await client.request<DescribeClusterResponse>(ApiKey.DescribeCluster, 1, { endpointType: 2 });
    assert.equal(res.errorCode, ErrorCode.UNSUPPORTED_ENDPOINT_TYPE);
    assert.deepEqual(res.brokers, []);
    assert.ok(res.errorMessage);
  });
});
