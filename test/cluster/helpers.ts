/** Test helpers for cluster tests: temp dirs and store opening. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { BrokerConfig } from '../../src/config/broker-config.ts';
import { EmbeddedMetadataStore } from '../../src/cluster/embedded-store.ts';
import { KafkaApiError } from '../../src/cluster/kafka-api-error.ts';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gregor-cluster-'));
  dirs.push(dir);
  return dir;
}

export function brokerConfig(logDir: string, extra: Record<string, string> = {}): BrokerConfig {
  return BrokerConfig.from({ 'log.dirs': logDir, 'advertised.listeners': 'PLAINTEXT://localhost:9092', ...extra });
}

export async function openStore(logDir: string, extra: Record<string, string> = {}): Promise<EmbeddedMetadataStore> {
  return EmbeddedMetadataStore.open({ config: brokerConfig(logDir, extra) });
}

/** Asserts that `promise` rejects with a KafkaApiError of `code`. */
export async function rejectsWith(promise: Promise<unknown>, code: number, pattern?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof KafkaApiError, `expected KafkaApiError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}
