import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BROKER_CONFIG_DEFS, BROKER_SYNONYM_GROUPS } from '../../src/config/broker-config-defs.ts';
import { parseConfigValue } from '../../src/config/config-values.ts';
import { TOPIC_CONFIG_DEFS } from '../../src/config/topic-config-defs.ts';

test('every broker default parses and passes its own validator', () => {
  for (const def of BROKER_CONFIG_DEFS.values()) {
    assert.ok(def.doc.length > 10, `${def.name} has documentation`);
    if (def.defaultValue !== null) assert.doesNotThrow(() => parseConfigValue(def, def.defaultValue!), def.name);
  }
});

test('every topic default parses, and every broker synonym exists with a compatible type', () => {
  for (const def of TOPIC_CONFIG_DEFS.values()) {
    assert.doesNotThrow(() => parseConfigValue(def, def.defaultValue!), def.name);
    for (const synonym of def.brokerSynonyms) {
      const brokerDef = BROKER_CONFIG_DEFS.get(synonym.name);
      assert.ok(brokerDef, `${def.name} -> ${synonym.name} is a broker key`);
      assert.equal(brokerDef.type === 'INT' || brokerDef.type === 'LONG', def.type === 'INT' || def.type === 'LONG', `${def.name} ~ ${synonym.name}`);
    }
  }
});

test('synonym groups name known keys', () => {
  for (const group of BROKER_SYNONYM_GROUPS) {
    for (const member of group) assert.ok(BROKER_CONFIG_DEFS.has(member.name), member.name);
  }
});
