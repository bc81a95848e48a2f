/**
 * The record sets the compatibility tests send and the client-neutral form they compare
 * on. A record set covers keyed records spread over the partitions, null keys, null
 * values (tombstones), empty (non-null) keys and values, binary bytes, and headers
 * including a repeated header key and a header with a null value. Expected offsets: a
 * fresh partition written by one producer in order gets 0, 1, 2, ... in send order.
 */
import assert from 'node:assert/strict';

export interface SentRecord {
  partition: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, Buffer | null][];
  timestamp: number;
}

/** A record as read back: bytes as hex (null stays null) so assert.deepEqual shows diffs. */
export interface SeenRecord {
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: [string, string | null][];
}

export interface RecordSetOptions {
  /** Records with null header values (not every client can send them). */
  nullHeaderValues?: boolean;
  /** Repeated header keys within one record. */
  repeatedHeaderKeys?: boolean;
  /** Empty, non-null keys/values. */
  emptyBytes?: boolean;
  baseTimestamp?: number;
}

export const TIMESTAMP_STEP_MS = 1000;

function headersFor(i: number, opts: RecordSetOptions): [string, Buffer | null][] {
  if (i % 3 === 0) return [];
  const h: [string, Buffer | null][] = [
    ['trace-id', Buffer.from(`t-${i}`)],
    ['bin', Buffer.from([0, 255, i & 0xff, 10, 13])],
  ];
  if (opts.repeatedHeaderKeys === true && i % 3 === 1) h.push(['trace-id', Buffer.from(`t-${i}-again`)]);
  if (opts.nullHeaderValues === true && i % 3 === 2) h.push(['nothing', null]);
  return h;
}

function keyFor(tag: string, i: number, opts: RecordSetOptions): Buffer | null {
  if (i % 7 === 3) return null;
  if (opts.emptyBytes === true && i % 11 === 5) return Buffer.alloc(0);
  return Buffer.from(`${tag}-key-${i}`);
}

function valueFor(tag: string, i: number, opts: RecordSetOptions): Buffer | null {
  if (i % 5 === 4) return null;
  if (opts.emptyBytes === true && i % 11 === 6) return Buffer.alloc(0);
  // Some repetition so compressed batches actually shrink, plus non-UTF-8 bytes.
  return Buffer.concat([Buffer.from(`${tag}-value-${i}-`.repeat(1 + (i % 4))), Buffer.from([0xc3, 0x28, i & 0xff])]);
}

export function recordSet(tag: string, partitions: number, count: number, opts: RecordSetOptions = {}): SentRecord[] {
  const base = opts.baseTimestamp ?? Date.now() - 3_600_000;
  return Array.from({ length: count }, (_, i) => ({
    partition: i % partitions,
    key: keyFor(tag, i, opts),
    value: valueFor(tag, i, opts),
    headers: headersFor(i, opts),
    timestamp: base + Math.floor(i / partitions) * TIMESTAMP_STEP_MS,
  }));
}

const hex = (b: Buffer | null | undefined): string | null => (b === null || b === undefined ? null : b.toString('hex'));

/** What each partition must hold, in order, with offsets 0.. */
export function expectedByPartition(sent: SentRecord[], partitions: number): SeenRecord[][] {
  const out: SeenRecord[][] = Array.from({ length: partitions }, () => []);
  for (const r of sent) {
    const list = out[r.partition];
    list.push({
      partition: r.partition,
      offset: list.length,
      timestamp: r.timestamp,
      key: hex(r.key),
      value: hex(r.value),
      headers: r.headers.map(([k, v]) => [k, hex(v)]),
    });
  }
  return out;
}

export interface SeenInput {
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null | undefined;
  value: Buffer | null | undefined;
  headers: [string, Buffer | null | undefined][];
}

export function seen(r: SeenInput): SeenRecord {
  return { ...r, key: hex(r.key), value: hex(r.value), headers: r.headers.map(([k, v]) => [k, hex(v)]) };
}

/**
 * Headers grouped by key in first-occurrence order, values of one key kept in order: the
 * most a client that exposes headers as an object (kafkajs) can preserve.
 */
export function groupHeaders<T>(pairs: [string, T][]): [string, T][] {
  const byKey = new Map<string, T[]>();
  for (const [k, v] of pairs) byKey.set(k, [...(byKey.get(k) ?? []), v]);
  return [...byKey].flatMap(([k, vs]) => vs.map((v): [string, T] => [k, v]));
}

export function assertPartitionContents(actual: SeenRecord[][], expected: SeenRecord[][], what: string): void {
  for (let p = 0; p < expected.length; p++) {
    assert.equal(actual[p].length, expected[p].length, `${what}: partition ${p} record count`);
    assert.deepEqual(actual[p], expected[p], `${what}: partition ${p} contents`);
  }
}
