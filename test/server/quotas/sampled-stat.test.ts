import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SampledStat } from '../../../src/server/quotas/sampled-stat.ts';

const T0 = 1_700_000_000_000;
const config = { samples: 11, windowMs: 1000 };

test('a first burst is measured over samples - 1 full windows (Kafka Rate.windowSize)', () => {
  const stat = new SampledStat(config);
  stat.record(12_000, T0);
  assert.equal(stat.windowSizeMs(T0), 10_000);
  assert.equal(stat.rate(T0), 1200);
  // 2.5 s later: 2 full windows elapsed, still padded to 10 full windows plus the partial one.
  assert.equal(stat.windowSizeMs(T0 + 2500), 10_500);
});

test('once the samples span more than samples - 1 windows, the real elapsed time is used', () => {
  const stat = new SampledStat(config);
  for (let s = 0; s <= 10; s++) stat.record(1000, T0 + s * 1000);
  assert.equal(stat.total(T0 + 10_500), 11_000);
  assert.equal(stat.windowSizeMs(T0 + 10_500), 10_500);
  assert.equal(stat.rate(T0 + 10_500), 11_000 / 10.5);
});

test('only the last samples windows count: older ones are dropped as time moves on', () => {
  const stat = new SampledStat(config);
  for (let s = 0; s <= 12; s++) {
    stat.record(1000, T0 + s * 1000);
    assert.equal(stat.total(T0 + s * 1000), Math.min(s + 1, 11) * 1000);
  }
});

test('samples without an event for samples * window are dropped', () => {
  const stat = new SampledStat(config);
  stat.record(5000, T0);
  assert.equal(stat.total(T0 + 10_999), 5000);
  assert.equal(stat.total(T0 + 11_000), 0);
  assert.equal(stat.windowSizeMs(T0 + 11_000), 10_000);
});

test('a negative record takes a value back; average is over recorded events', () => {
  const stat = new SampledStat(config);
  stat.record(3000, T0);
  stat.record(-3000, T0 + 1);
  assert.equal(stat.total(T0 + 2), 0);
  const times = new SampledStat({ samples: 2, windowMs: 30_000 });
  assert.equal(times.average(T0), 0);
  times.record(100, T0);
  times.record(300, T0 + 10);
  assert.equal(times.average(T0 + 20), 200);
});
