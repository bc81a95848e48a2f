import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collisionKey, isInternalTopic, topicNameProblem } from '../../src/cluster/topic-names.ts';
import { isUuid, randomUuid, ZERO_UUID } from '../../src/cluster/uuid.ts';

test('legal topic names', () => {
  for (const name of ['a', 'A-b_c.d', '0', 'x'.repeat(249), '__consumer_offsets']) assert.equal(topicNameProblem(name), null, name);
});

test('illegal topic names', () => {
  for (const name of ['', '.', '..', 'x'.repeat(250), 'a b', 'a/b', 'ä', 'a:b']) assert.notEqual(topicNameProblem(name), null, name);
});

test('dots and underscores collide', () => {
  assert.equal(collisionKey('a.b_c'), collisionKey('a_b.c'));
  assert.notEqual(collisionKey('a.b'), collisionKey('a-b'));
});

test('internal topics', () => {
  assert.equal(isInternalTopic('__consumer_offsets'), true);
  assert.equal(isInternalTopic('__transaction_state'), true);
  assert.equal(isInternalTopic('__other'), false);
});

test('random uuids are 22-char base64url, never zero, never starting with -', () => {
  for (let i = 0; i < 200; i++) {
    const id = randomUuid();
    assert.equal(id.length, 22);
    assert.equal(Buffer.from(id, 'base64url').length, 16);
    assert.ok(isUuid(id));
    assert.notEqual(id, ZERO_UUID);
    assert.ok(!id.startsWith('-'));
  }
});
