/**
 * librdkafka's AdminClient (Debian python3-confluent-kafka, run by /usr/bin/python3)
 * against a real broker: validate-only creation, config errors, growing partitions,
 * DescribeConfigs with synonyms for a topic and the broker, deletion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withTestBroker } from '../helpers/broker.ts';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./python/admin_checks.py', import.meta.url));
/** librdkafka ConfigSource values (rd_kafka_ConfigSource_t). */
const SOURCE = { TOPIC: 1, STATIC_BROKER: 4, DEFAULT: 5 };

interface Entry {
  value: string | null;
  source: number;
  is_default: boolean;
  synonyms: string[];
}

interface Seen {
  validate_only: Record<string, string>;
  metadata_after_dry_run: boolean;
  create: Record<string, string>;
  grow_dry: Record<string, string>;
  grow: Record<string, string>;
  shrink: Record<string, string>;
  partitions: number;
  topic_configs: Record<string, Entry>;
  broker_configs: Record<string, Entry>;
  delete: Record<string, string>;
}

test('confluent-kafka AdminClient: create, grow, describe configs, delete', { timeout: 120_000 }, async () => {
  await withTestBroker({ 'log.retention.hours': '72' }, async (broker) => {
    const { stdout } = await run('/usr/bin/python3', [SCRIPT, broker.bootstrap], { timeout: 100_000 });
    const seen = JSON.parse(stdout) as Seen;
    assert.deepEqual(seen.validate_only, { 'py-dry': 'OK' });
    assert.equal(seen.metadata_after_dry_run, false);
    assert.deepEqual(seen.create, { 'py-grow': 'OK', 'py-bad': 'INVALID_CONFIG' });
    assert.deepEqual(seen.grow_dry, { 'py-grow': 'OK' });
    assert.deepEqual(seen.grow, { 'py-grow': 'OK' });
    assert.deepEqual(seen.shrink, { 'py-grow': 'INVALID_PARTITIONS' });
    assert.equal(seen.partitions, 3);
    const retention = seen.topic_configs['retention.ms'];
    assert.equal(retention.value, '120000');
    assert.equal(retention.source, SOURCE.TOPIC);
    // As Kafka: log.retention.ms (retention.ms's broker synonym) has no value of its own, so
    // no broker synonym follows the override.
    assert.deepEqual(retention.synonyms, ['retention.ms']);
    assert.equal(seen.topic_configs['segment.bytes'].source, SOURCE.DEFAULT);
    const brokerRetention = seen.broker_configs['log.retention.hours'];
    assert.deepEqual([brokerRetention.value, brokerRetention.source], ['72', SOURCE.STATIC_BROKER]);
    assert.deepEqual(seen.delete, { 'py-grow': 'OK', 'py-missing': 'UNKNOWN_TOPIC_OR_PART' });
  });
});
