/**
 * How `gregor consume` prints a record, following kafka-console-consumer's default
 * formatter: the enabled fields in the order timestamp, partition, offset, headers, key,
 * value, joined by the key separator (a tab by default). The timestamp is printed as
 * `CreateTime:ms` or `LogAppendTime:ms`, partition and offset as `Partition:N` and
 * `Offset:N`; headers as `k:v` joined by ',' (or NO_HEADERS); a null
 * key, value or header value as `null`.
 */
import type { ConsumedRecord } from '../client/consumer.ts';

export interface RecordFormat {
  printTimestamp: boolean;
  printKey: boolean;
  printHeaders: boolean;
  printOffset: boolean;
  printPartition: boolean;
  keySeparator: string;
}

export function formatRecord(record: ConsumedRecord, format: RecordFormat): string {
  const fields: string[] = [];
  if (format.printTimestamp) fields.push(`${record.timestampType}:${record.timestamp}`);
  if (format.printPartition) fields.push(`Partition:${record.partition}`);
  if (format.printOffset) fields.push(`Offset:${record.offset}`);
  if (format.printHeaders) {
    fields.push(record.headers.length === 0
      ? 'NO_HEADERS'
      : record.headers.map((h) => `${h.key}:${text(h.value)}`).join(','));
  }
  if (format.printKey) fields.push(text(record.key));
  fields.push(text(record.value));
  return fields.join(format.keySeparator);
}

function text(bytes: Buffer | null): string {
  return bytes === null ? 'null' : bytes.toString('utf8');
}
