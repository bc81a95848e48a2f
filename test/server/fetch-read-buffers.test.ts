/**
 * Fetch reads records into pooled buffers (src/storage/read-buffers.ts) that go back to the
 * pool only once the response is in the kernel. Here one consumer's 8 MiB response is held
 * in the broker's socket (the client reads nothing, so most of it waits in the broker), while
 * another connection runs Fetch after Fetch of the same sizes (reads that would reuse those
 * buffers had they been given back early: it starts once the held response has started to
 * arrive); the held response must still carry exactly the stored records.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { decodeFetchResponse, encodeFetchRequest, type FetchRequest, type FetchResponse } from '../../src/protocol/generated/fetch.ts';
import { kcat } from '../compat/helpers/processes.ts';
import { startTestBroker } from '../helpers/broker.ts';
import { KafkaTestClient } from '../helpers/kafka-client.ts';
import { RawClient, readResponseHeader } from './helpers.ts';

const PARTITIONS = 8;
/** ~10 MiB per topic: about 1.25 MiB per partition, more than one partition read takes. */
const RECORDS = 10_000;
const PARTITION_MAX_BYTES = 1 << 20;
const VERSION = 4;
const BUSY_FETCHES = 12;
/** Guards against a hung client; not a performance limit. */
const RUN_TIMEOUT_MS = 60_000;

function fetchAll(topic: string): FetchRequest {
  return {
    replicaId: -1, replicaState: { replicaId: -1, replicaEpoch: -1 }, maxWaitMs: 0, minBytes: 1, maxBytes: 64 << 20, isolationLevel: 0,
    sessionId: 0, sessionEpoch: -1, rackId: '', clusterId: null, forgottenTopicsData: [],
    topics: [{
      topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({
        partition, currentLeaderEpoch: -1, fetchOffset: 0, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: PARTITION_MAX_BYTES,
        replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
      })),
    }],
  };
}

function recordsOf(response: FetchResponse): Buffer[] {
  return response.responses[0].partitions.map((p) => p.records ?? Buffer.alloc(0));
}

test('a Fetch response waiting in its socket keeps its read buffers while other Fetches run', async () => {
  const broker = await startTestBroker({ 'num.partitions': String(PARTITIONS) });
  const port = Number(broker.bootstrap.split(':').pop());
  const held = await RawClient.connect(port);
  const busy = await KafkaTestClient.connect(port);
  try {
    for (const topic of ['held', 'busy']) {
      // Keyed, so the records spread evenly over the partitions; batches of at most 50 records,
      // so a partition read fills its 1 MiB (a larger batch that does not fit would end it).
      const lines = Array.from({ length: RECORDS }, (_, i) => `${i}:${topic}-${i}-${String.fromCharCode(97 + (i % 26)).repeat(1000)}`);
      await kcat(['-P', '-b', broker.bootstrap, '-t', topic, '-K', ':', '-X', 'linger.ms=5', '-X', 'batch.num.messages=50'],
        { input: lines.join('\n') + '\n', timeoutMs: RUN_TIMEOUT_MS });
    }
    held.socket.pause();
    held.send(ApiKey.Fetch, VERSION, 1, (w) => encodeFetchRequest(w, VERSION, fetchAll('held')));
    // The first bytes arrive (and stay unread): the held Fetch has read its records.
    while (held.socket.readableLength === 0) await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < BUSY_FETCHES; i++) {
      const response = await busy.request<FetchResponse>(ApiKey.Fetch, VERSION, fetchAll('busy'));
      assert.ok(recordsOf(response).every((r) => r.length > PARTITION_MAX_BYTES / 2));
    }
    held.socket.resume();
    const { body } = readResponseHeader(await held.nextFrame(), false);
    const heldRecords = recordsOf(decodeFetchResponse(body, VERSION));
    assert.ok(heldRecords.reduce((sum, r) => sum + r.length, 0) > 6 << 20, 'a response larger than the socket buffers');
    const stored = recordsOf(await busy.request<FetchResponse>(ApiKey.Fetch, VERSION, fetchAll('held')));
    heldRecords.forEach((records, partition) => assert.ok(records.equals(stored[partition]), `partition ${partition}`));
  } finally {
    held.end();
    busy.close();
    await broker.stopAndRemove();
  }
});
