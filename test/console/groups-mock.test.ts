/**
 * Consumer-group pages of the console in headless Chromium, against the mock group API
 * (helpers/mock-api.ts) while the broker's own group endpoints answer 501: the group list
 * with lag, a group's members and per-partition lag following commits, the lag chart, and
 * an offset reset that needs a confirmation (refused while the group has members).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { GroupDetail } from '../../src/http/api/types.ts';
import { openConsole } from './helpers/browser.ts';
import type { ConsoleBrowser } from './helpers/browser.ts';
import { startMockApi } from './helpers/mock-api.ts';
import type { MockApi } from './helpers/mock-api.ts';

const HW = [300, 200, 100];

function group(groupId: string, members: number, committed: number[]): GroupDetail {
  const memberIds = Array.from({ length: members }, (_, i) => `consumer-${i + 1}-5f1c2e`);
  return {
    groupId, state: members > 0 ? 'Stable' : 'Empty', protocolType: 'consumer', protocol: members > 0 ? 'range' : '', generationId: members > 0 ? 4 : 0,
    members: memberIds.map((memberId, i) => ({ memberId, groupInstanceId: null, clientId: `svc-${groupId}`, clientHost: '/127.0.0.1', assignment: [{ topic: 'orders', partitions: [0, 1, 2].filter((p) => p % members === i) }] })),
    offsets: committed.map((c, p) => ({ topic: 'orders', partition: p, committedOffset: c, highWatermark: HW[p], lag: HW[p] - c, memberId: memberIds[p % Math.max(1, members)] ?? null })),
  };
}

/** Moves a group's committed offsets forward by `n` per partition (what a consumer's commit does). */
function consume(api: MockApi, groupId: string, n: number): void {
  for (const o of api.groups.get(groupId)!.offsets) {
    o.committedOffset = Math.min(o.highWatermark, o.committedOffset + n);
    o.lag = o.highWatermark - o.committedOffset;
  }
}

let api: MockApi;
let ui: ConsoleBrowser;
let clock = Date.parse('2026-01-01T12:00:00Z');

before(async () => {
  api = await startMockApi([group('billing', 2, [180, 120, 60]), group('reporting', 0, [300, 200, 100])]);
  for (let i = 0; i < 5; i++) api.sample((clock += 1000));
  ui = await openConsole(`${api.url}#/groups`);
});

after(async () => {
  await ui?.close();
  await api?.close();
});

test('the group list shows each group with its state, members and total lag', async () => {
  const { page } = ui;
  await page.getByRole('link', { name: 'billing' }).waitFor();
  assert.equal(await page.getByTestId('group-lag-billing').textContent(), '240');
  assert.equal(await page.getByTestId('group-lag-reporting').textContent(), '0');
  await page.locator('.chart polyline').first().waitFor({ state: 'attached' });
  await ui.screenshot('mock-groups');
});

test('a group page shows members, assignments and per-partition lag, and the lag drops as it consumes', async () => {
  const { page } = ui;
  await page.getByRole('link', { name: 'billing' }).click();
  await page.getByRole('heading', { name: 'Members' }).waitFor();
  assert.equal(await page.getByTestId('group-total-lag').textContent(), '240');
  assert.equal(await page.getByTestId('lag-orders-0').textContent(), '120');
  assert.equal(await page.getByRole('table', { name: 'Members' }).locator('tbody tr').count(), 2);

  consume(api, 'billing', 50);
  api.sample((clock += 1000));
  await page.getByTestId('group-total-lag').getByText('100', { exact: true }).waitFor();
  assert.equal(await page.getByTestId('lag-orders-0').textContent(), '70');
  await ui.screenshot('mock-group');
});

test('resetting offsets of a group with members is refused with the broker message', async () => {
  const { page } = ui;
  await page.getByRole('button', { name: 'Reset offsets…' }).click();
  await page.getByRole('alert').getByText(/active members/).waitFor();
  assert.equal(api.resets.length, 0);
});

test('resetting an empty group’s offsets shows the plan and commits only after confirmation', async () => {
  const { page } = ui;
  await page.goto(`${api.url}#/groups/reporting`);
  await page.getByTestId('group-total-lag').getByText('0', { exact: true }).waitFor();
  await page.locator('select[name="to"]').selectOption('earliest');
  await page.getByRole('button', { name: 'Reset offsets…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('table', { name: 'New offsets' }).waitFor();
  assert.deepEqual(api.resets.map((r) => r.dryRun), [true]);
  await ui.screenshot('mock-group-reset-confirm', { fullPage: false });
  await dialog.getByRole('button', { name: 'Reset offsets' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByTestId('group-total-lag').getByText('600', { exact: true }).waitFor();
  assert.deepEqual(api.resets.map((r) => [r.topic, r.dryRun, r.to]), [['orders', true, { earliest: true }], ['orders', false, { earliest: true }]]);
});

test('the console made no request outside 127.0.0.1 and logged no errors', () => {
  assert.deepEqual(ui.externalRequests, []);
  assert.deepEqual(ui.errors, []);
});
