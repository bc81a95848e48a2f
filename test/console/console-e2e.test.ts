/**
 * The web console end to end in headless Chromium against a real broker (admin HTTP on
 * port 0): create a topic in the UI, produce to it with kcat, find the records in the
 * message browser (JSON, headers, filter, hex), change a config, add a partition, follow a
 * consumer group's lag as kcat consumes, follow a kafkajs transaction from open to
 * committed on the transactions page, delete the topic with its
 * confirmation. Screenshots of every page go to
 * test-artifacts/console/. The console must make no request beyond 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import kafkajs from 'kafkajs';
import type { GroupDetail, OverviewResponse, TopicsResponse } from '../../src/http/api/types.ts';
import { formatNumber } from '../../console/src/lib/format.ts';
import { kcat } from '../compat/helpers/processes.ts';
import { startTestBroker } from '../helpers/broker.ts';
import type { TestBroker } from '../helpers/broker.ts';
import { openConsole } from './helpers/browser.ts';
import type { ConsoleBrowser } from './helpers/browser.ts';

const TOPIC = 'orders';
const GROUP = 'console-e2e';
const TXN_ID = 'console-e2e-tx';
/** How long the groups step waits for the group coordinator to load: 50 × 200 ms. */
const GROUPS_LOAD_ATTEMPTS_MAX = 50;
const GROUPS_LOAD_RETRY_MS = 200;
/** What kcat produces to partition 0: key, JSON value, one header each. */
const RECORDS = Array.from({ length: 12 }, (_, i) => ({ key: `customer-${i % 4}`, value: { order: i, item: i === 7 ? 'umbrella' : 'tea', qty: i + 1 } }));

let broker: TestBroker;
let ui: ConsoleBrowser;
let base: string;
/** Before any record was produced (the time-based browse starts a minute earlier). */
const startedAt = Date.now();

async function apiGet<T>(path: string): Promise<T> {
  const res = await fetch(new URL(`api/${path}`, base));
  assert.equal(res.status, 200, `GET api/${path}`);
  return (await res.json()) as T;
}

before(async () => {
  // No initial rebalance delay: kcat's group joins complete at once.
  broker = await startTestBroker({ 'http.listener': '127.0.0.1:0', 'num.partitions': '1', 'group.initial.rebalance.delay.ms': '0',
    'transaction.state.log.num.partitions': '1' });
  assert.ok(broker.httpUrl, 'the broker serves HTTP');
  base = `${broker.httpUrl.replace(/\/$/, '')}/`;
  ui = await openConsole(`${base}#/`);
});

after(async () => {
  await ui?.close();
  await broker?.stopAndRemove();
});

test('the overview shows the broker, its topics and partitions', async () => {
  const { page } = ui;
  await page.getByRole('heading', { name: 'Brokers' }).waitFor();
  assert.equal(await page.getByTestId('stat-brokers').textContent(), '1');
  assert.equal(await page.getByTestId('stat-topics').textContent(), '0');
  await page.getByRole('table').getByText(String(broker.port), { exact: true }).waitFor();
  await page.getByText(/^Broker 1 · v/).waitFor();
  await ui.screenshot('overview-empty');
});

test('a topic created in the UI exists with its partitions and config override', async () => {
  const { page } = ui;
  await page.getByRole('link', { name: 'Topics' }).click();
  await page.getByRole('button', { name: 'Create topic' }).click();
  await page.getByLabel('Name').fill(TOPIC);
  await page.getByLabel('Partitions').fill('3');
  await page.getByRole('button', { name: 'Add config' }).click();
  await page.getByLabel('Config 1 name').fill('retention.ms');
  await page.getByLabel('Config 1 value').fill('86400000');
  await ui.screenshot('topic-create-form');
  await page.getByRole('button', { name: 'Create topic' }).last().click();
  await page.getByRole('heading', { name: TOPIC, level: 1 }).waitFor();
  assert.equal(await page.getByTestId('topic-partitions').textContent(), '3');
  await page.getByRole('table', { name: 'Topic configs' }).getByText('retention.ms').waitFor();
  const t = await apiGet<{ partitions: number; overrides: Record<string, string> }>(`topics/${TOPIC}`);
  assert.equal(t.partitions, 3);
  assert.deepEqual(t.overrides, { 'retention.ms': '86400000' });
});

test('records produced with kcat show up in the topic and the message browser', async () => {
  const { page } = ui;
  const lines = RECORDS.map((r) => `${r.key}\t${JSON.stringify(r.value)}`).join('\n');
  await kcat(['-P', '-b', broker.bootstrap, '-t', TOPIC, '-p', '0', '-K', '\t', '-H', 'source=kcat', '-H', 'trace=abc123'], { input: `${lines}\n` });
  await page.getByTestId('topic-messages').getByText(String(RECORDS.length), { exact: true }).waitFor();
  await ui.screenshot('topic');

  await page.getByRole('link', { name: 'Browse messages' }).click();
  const rows = page.getByRole('table', { name: 'Messages' }).locator('tbody tr');
  await page.getByTestId('messages-summary').getByText(/^12 records/).waitFor();
  assert.equal(await rows.count(), RECORDS.length);

  await page.getByRole('button', { name: '7', exact: true }).click();
  const value = page.getByTestId('payload-value');
  assert.equal(await value.textContent(), JSON.stringify(RECORDS[7].value, null, 2));
  assert.equal(await page.getByTestId('payload-key').textContent(), RECORDS[7].key);
  await page.getByRole('table', { name: 'Headers' }).getByText('trace').waitFor();
  await ui.screenshot('messages');

  await page.getByLabel('Filter').fill('umbrella');
  await page.getByTestId('messages-summary').getByText(/^1 of 12 records/).waitFor();
  await page.getByLabel('Show as').selectOption('hex');
  assert.match((await value.textContent()) ?? '', /^00000000  7b 22 6f 72 64 65 72 22/);
  await ui.screenshot('messages-filtered-hex');
});

test('the message browser reads the latest N and from an offset', async () => {
  const { page } = ui;
  await page.getByLabel('Filter').fill('');
  await page.getByLabel('Last N records').fill('3');
  await page.getByRole('button', { name: 'Read' }).click();
  await page.getByTestId('messages-summary').getByText(/^3 records · offsets 9–11/).waitFor();
  await page.getByRole('radiogroup', { name: 'Start from' }).getByText('Offset').click();
  await page.getByLabel('From offset').fill('4');
  await page.getByLabel('Max records').fill('5');
  await page.getByRole('button', { name: 'Read' }).click();
  await page.getByTestId('messages-summary').getByText(/^5 records · offsets 4–8/).waitFor();
});

test('the message browser reads from a time', async () => {
  const { page } = ui;
  const localInput = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  await page.getByRole('radiogroup', { name: 'Start from' }).getByText('Time').click();
  await page.getByLabel('From time (local)').fill(localInput(startedAt - 60_000));
  await page.getByLabel('Max records').fill('20');
  await page.getByRole('button', { name: 'Read' }).click();
  await page.getByTestId('messages-summary').getByText(/^12 records · offsets 0–11/).waitFor();
  await page.getByLabel('From time (local)').fill(localInput(Date.now() + 3_600_000));
  await page.getByRole('button', { name: 'Read' }).click();
  await page.getByTestId('messages-summary').getByText(/^No records here/).waitFor();
});

test('a config override is edited and a partition added from the topic page', async () => {
  const { page } = ui;
  await page.goto(`${base}#/topics/${TOPIC}`);
  await page.getByRole('button', { name: 'Edit retention.ms' }).click();
  await page.getByLabel('New value for retention.ms').fill('3600000');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('table', { name: 'Topic configs' }).getByText('3600000', { exact: true }).waitFor();

  await page.getByRole('button', { name: 'Add partitions' }).click();
  await page.getByLabel('New total partition count').fill('4');
  await page.getByRole('button', { name: 'Add partitions' }).last().click();
  await page.getByTestId('topic-partitions').getByText('4', { exact: true }).waitFor();
  await page.getByLabel('Show defaults').check();
  await ui.screenshot('topic-configs');

  const t = await apiGet<{ partitions: number; overrides: Record<string, string> }>(`topics/${TOPIC}`);
  assert.equal(t.partitions, 4);
  assert.deepEqual(t.overrides, { 'retention.ms': '3600000' });
});

/** kcat as a consumer in GROUP: reads TOPIC from the earliest offset, commits when it exits. */
function kcatConsume(extra: string[]): Promise<Buffer> {
  return kcat(['-C', '-b', broker.bootstrap, '-G', GROUP, '-q', '-X', 'auto.offset.reset=earliest', ...extra, TOPIC], { timeoutMs: 30_000 });
}

/** GET api/groups, asked again while it answers 503 (the group coordinator still loading). */
async function groupsOnceLoaded(): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(new URL('api/groups', base));
    if (res.status !== 503 || attempt === GROUPS_LOAD_ATTEMPTS_MAX) return res;
    await res.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, GROUPS_LOAD_RETRY_MS));
  }
}

/**
 * kcat consumes 4 of partition 0's 12 records in GROUP and commits, the console shows the
 * remaining lag the API reports, after kcat reads to the end the lag drops to 0, and a
 * confirmed reset to the earliest offset brings it back to 12.
 */
test('consumer groups: a group\'s lag drops as it consumes', async () => {
  const { page } = ui;
  const res = await groupsOnceLoaded();
  assert.equal(res.status, 200, `GET api/groups: ${await res.text()}`);
  await kcatConsume(['-c', '4']);
  const group = await apiGet<GroupDetail>(`groups/${GROUP}`);
  const lag = group.offsets.reduce((n, o) => n + Math.max(0, o.lag), 0);
  assert.ok(lag > 0 && lag < RECORDS.length, `lag after 4 records is between 0 and ${RECORDS.length} (got ${lag})`);
  await page.getByRole('link', { name: 'Consumer groups' }).click();
  await page.getByTestId(`group-lag-${GROUP}`).getByText(String(lag), { exact: true }).waitFor();
  await ui.screenshot('groups');
  await page.getByRole('link', { name: GROUP }).click();
  await page.getByTestId('group-total-lag').getByText(String(lag), { exact: true }).waitFor();
  await kcatConsume(['-e']);
  await page.getByTestId('group-total-lag').getByText('0', { exact: true }).waitFor();
  // The lag chart (its accessible summary states the latest value) follows the drop too.
  await page.getByRole('img', { name: `Consumer lag (records): ${GROUP} 0` }).waitFor();
  await ui.screenshot('group');

  // Back to the earliest offset, through the dry-run preview and the confirmation.
  await page.locator('select[name="to"]').selectOption('earliest');
  await page.getByRole('button', { name: 'Reset offsets…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('table', { name: 'New offsets' }).getByText(TOPIC).first().waitFor();
  await ui.screenshot('group-reset-confirm', { fullPage: false });
  await dialog.getByRole('button', { name: 'Reset offsets' }).click();
  await page.getByTestId('group-total-lag').getByText(String(RECORDS.length), { exact: true }).waitFor();
});

/**
 * A kafkajs transactional producer writes to partition 1 of TOPIC: the transactions page
 * shows its id Ongoing with that partition and the producer's open transaction on it;
 * after the commit (and its markers) the id is CompleteCommit and the transaction closed.
 */
test('the transactions page follows a kafkajs transaction from open to committed', async () => {
  const { page } = ui;
  const kafka = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 50 } });
  const producer = kafka.producer({ transactionalId: TXN_ID, maxInFlightRequests: 1, idempotent: true });
  await producer.connect();
  try {
    const txn = await producer.transaction();
    await txn.send({ topic: TOPIC, messages: [{ value: 'in a transaction', partition: 1 }] });
    await page.getByRole('link', { name: 'Transactions' }).click();
    const row = page.getByTestId(`txn-${TXN_ID}`);
    await row.getByText('Ongoing', { exact: true }).waitFor();
    await row.getByText(`${TOPIC}-1`, { exact: true }).waitFor();
    await page.getByTestId(`producer-txn-${TOPIC}-1`).getByText('0', { exact: true }).waitFor();
    await ui.screenshot('transactions');
    await txn.commit();
    await broker.services.transactions.whenIdle();
    await row.getByText('CompleteCommit', { exact: true }).waitFor();
    await page.getByTestId(`producer-txn-${TOPIC}-1`).getByText('—', { exact: true }).waitFor();
  } finally {
    await producer.disconnect();
  }
});

test('the overview counts the topic and shows live traffic', async () => {
  const { page } = ui;
  await page.getByRole('link', { name: 'Overview' }).click();
  // Internal topics (__consumer_offsets once a group has used the broker) count too.
  const o = await apiGet<OverviewResponse>('overview');
  assert.ok(o.topics >= 1 && o.partitions >= 4);
  await page.getByTestId('stat-topics').getByText(formatNumber(o.topics), { exact: true }).waitFor();
  assert.equal(await page.getByTestId('stat-partitions').textContent(), formatNumber(o.partitions));
  // The metrics sampler has taken a sample since start-up: each chart marks its latest point.
  await page.locator('.chart circle.last-point').first().waitFor({ state: 'attached' });
  await ui.screenshot('overview');
});

test('deleting a topic needs its name typed into the confirmation', async () => {
  const { page } = ui;
  await page.getByRole('link', { name: 'Topics' }).click();
  await page.getByRole('button', { name: `Delete topic ${TOPIC}` }).click();
  const dialog = page.getByRole('dialog');
  const confirm = dialog.getByRole('button', { name: 'Delete topic' });
  assert.equal(await confirm.isDisabled(), true);
  await dialog.getByLabel(/Type/).fill(TOPIC);
  await ui.screenshot('topic-delete-confirm', { fullPage: false });
  await confirm.click();
  await page.getByText(/No topics yet/).waitFor();
  const topics = await apiGet<TopicsResponse>('topics');
  assert.deepEqual(topics.topics.filter((t) => !t.internal), []);
});

test('the console made no request outside 127.0.0.1 and logged no errors', () => {
  assert.deepEqual(ui.externalRequests, []);
  assert.deepEqual(ui.errors, []);
});
