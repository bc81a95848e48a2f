"""confluent-kafka-python 1.7 (librdkafka 2.0.2): for each codec, create a topic, produce
the record set with explicit partitions, keys, null keys/values, headers and timestamps,
then consume every partition from the beginning and from offset 3 and compare exactly;
check watermarks and offsets_for_times (ListOffsets by timestamp).

Usage: produce_consume.py BOOTSTRAP
"""
import time

from confluent_kafka import Producer, TopicPartition

from compat_common import (TIMESTAMP_STEP_MS, admin_client, check, check_equal, check_records, create_topic,
                           expected_by_partition, main, new_consumer, read_partitions, record_set)

PARTITIONS = 4
RECORDS = 40
CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]


def produce(bootstrap, topic, codec, records):
    producer = Producer({"bootstrap.servers": bootstrap, "compression.type": codec, "linger.ms": 20, "acks": "all"})
    reports = []

    def on_delivery(err, msg):
        reports.append((err, msg.partition(), msg.offset(), msg.value()))

    for r in records:
        producer.produce(topic, value=r["value"], key=r["key"], partition=r["partition"],
                         headers=r["headers"], timestamp=r["timestamp"], on_delivery=on_delivery)
    check_equal(producer.flush(30), 0, "%s: messages still queued after flush" % topic)
    check_equal(len(reports), len(records), "%s: delivery reports" % topic)
    errors = [str(e) for (e, _, _, _) in reports if e is not None]
    check_equal(errors, [], "%s: delivery errors" % topic)
    return reports


def check_delivery_offsets(topic, reports, expected):
    for p, lst in enumerate(expected):
        offsets = sorted(o for (_, part, o, _) in reports if part == p)
        check_equal(offsets, [e["offset"] for e in lst], "%s-%d delivered offsets" % (topic, p))


def check_offsets(consumer, topic, base_ts, per_partition):
    for p in range(PARTITIONS):
        tp = TopicPartition(topic, p)
        check_equal(consumer.get_watermark_offsets(tp, timeout=10), (0, per_partition), "%s-%d watermarks" % (topic, p))
    queries = [
        (base_ts + int(2.5 * TIMESTAMP_STEP_MS), 3),
        (base_ts + 4 * TIMESTAMP_STEP_MS, 4),
        (base_ts - 1, 0),
        (int(time.time() * 1000) + 3600000, -1),
    ]
    for ts, want in queries:
        res = consumer.offsets_for_times([TopicPartition(topic, p, ts) for p in range(PARTITIONS)], timeout=10)
        for tp in res:
            check(tp.error is None, "offsets_for_times %s-%d: %s" % (topic, tp.partition, tp.error))
            check_equal(tp.offset, want, "offsets_for_times %s-%d ts=%d" % (topic, tp.partition, ts))


def run(bootstrap):
    admin = admin_client(bootstrap)
    consumer = new_consumer(bootstrap)
    base_ts = int(time.time() * 1000) - 3600000
    for codec in CODECS:
        topic = "py-codec-%s" % codec
        create_topic(admin, topic, PARTITIONS)
        records = record_set(topic, PARTITIONS, RECORDS, base_ts)
        expected = expected_by_partition(records, PARTITIONS)
        check_delivery_offsets(topic, produce(bootstrap, topic, codec, records), expected)
        for start in (0, 3):
            got = read_partitions(consumer, topic, {p: start for p in range(PARTITIONS)},
                                  {p: len(expected[p]) - start for p in range(PARTITIONS)})
            for p in range(PARTITIONS):
                check_records(got[p], expected[p][start:], "%s-%d from offset %d" % (topic, p, start))
        check_offsets(consumer, topic, base_ts, RECORDS // PARTITIONS)
    consumer.close()
    return {"codecs": CODECS, "recordsPerCodec": RECORDS}


if __name__ == "__main__":
    main(run)
