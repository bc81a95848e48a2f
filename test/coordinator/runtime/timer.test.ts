import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyedTimer, ManualScheduler } from '../../../src/coordinator/runtime/timer.ts';

test('KeyedTimer: rescheduling a key replaces it, cancel removes it, tasks run in deadline order', () => {
  const scheduler = new ManualScheduler(0);
  const timer = new KeyedTimer(scheduler);
  const ran: string[] = [];
  timer.schedule('a', 100, () => ran.push(`a@${scheduler.now()}`));
  timer.schedule('b', 50, () => ran.push(`b@${scheduler.now()}`));
  timer.schedule('a', 200, () => ran.push(`a2@${scheduler.now()}`));
  timer.schedule('c', 10, () => ran.push('c'));
  timer.cancel('c');
  assert.equal(timer.size, 2);
  scheduler.advance(150);
  assert.deepEqual(ran, ['b@50']);
  assert.equal(scheduler.now(), 150);
  scheduler.advance(100);
  assert.deepEqual(ran, ['b@50', 'a2@200']);
  assert.equal(timer.size, 0);
});

test('ManualScheduler runs tasks scheduled by tasks when they fall due within the same advance', () => {
  const scheduler = new ManualScheduler(0);
  const timer = new KeyedTimer(scheduler);
  const ticks: number[] = [];
  const tick = () => {
    ticks.push(scheduler.now());
    timer.schedule('tick', 10, tick);
  };
  timer.schedule('tick', 10, tick);
  scheduler.advance(35);
  assert.deepEqual(ticks, [10, 20, 30]);
  timer.cancelAll();
  scheduler.advance(100);
  assert.deepEqual(ticks, [10, 20, 30]);
});
