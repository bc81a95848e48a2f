"""Shared helpers for the confluent-kafka-python compatibility scripts.

Each script takes the bootstrap address as its first argument, checks what it reads back
itself (raising CheckFailed -> exit code 1 with a message on stderr) and prints one JSON
summary object as its last stdout line for the node:test driver.
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

POLL_DEADLINE_S = 30
TIMESTAMP_STEP_MS = 1000


class CheckFailed(Exception):
    pass


def check(cond, message):
    if not cond:
        raise CheckFailed(message)


def check_equal(actual, expected, what):
    if actual != expected:
        raise CheckFailed("%s: expected %r, got %r" % (what, expected, actual))


def main(fn):
    """Runs fn(bootstrap, *args); prints its summary as JSON or the failure on stderr."""
    try:
        summary = fn(sys.argv[1], *sys.argv[2:])
    except CheckFailed as e:
        print("CHECK FAILED: %s" % e, file=sys.stderr)
        sys.exit(1)
    print(json.dumps(summary))


def admin_client(bootstrap):
    return AdminClient({"bootstrap.servers": bootstrap})


def create_topic(admin, name, partitions, config=None):
    futures = admin.create_topics([NewTopic(name, partitions, 1, config=config or {})], operation_timeout=10)
    futures[name].result(timeout=30)


def record_set(tag, partitions, count, base_ts):
    """Keyed records over the partitions with null keys, tombstones, empty bytes, headers
    (a repeated key, an empty value) and timestamps base_ts + (i // partitions) steps.
    No null header values: confluent-kafka-python 1.7's Message.headers() drops a
    reference to None for each one and the interpreter aborts at exit (its issue #1191,
    fixed in 1.8.2); kcat and @platformatic/kafka cover null header values."""
    out = []
    for i in range(count):
        key = None if i % 7 == 3 else (b"" if i % 11 == 5 else ("%s-key-%d" % (tag, i)).encode())
        if i % 5 == 4:
            value = None
        elif i % 11 == 6:
            value = b""
        else:
            value = (("%s-value-%d-" % (tag, i)) * (1 + i % 4)).encode() + bytes([0xC3, 0x28, i & 0xFF])
        headers = []
        if i % 3 != 0:
            headers = [("trace-id", ("t-%d" % i).encode()), ("bin", bytes([0, 255, i & 0xFF, 10, 13]))]
            if i % 3 == 1:
                headers.append(("trace-id", ("t-%d-again" % i).encode()))
            else:
                headers.append(("nothing", b""))
        out.append({
            "partition": i % partitions, "key": key, "value": value, "headers": headers,
            "timestamp": base_ts + (i // partitions) * TIMESTAMP_STEP_MS,
        })
    return out


def expected_by_partition(records, partitions):
    out = [[] for _ in range(partitions)]
    for r in records:
        lst = out[r["partition"]]
        lst.append(dict(r, offset=len(lst)))
    return out


def new_consumer(bootstrap, extra=None):
    conf = {
        "bootstrap.servers": bootstrap,
        "group.id": "compat-python-unused",
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "error",
    }
    conf.update(extra or {})
    return Consumer(conf)


def read_partitions(consumer, topic, starts, counts):
    """Assigns the partitions at their start offsets ({partition: offset}) and polls
    until each has delivered counts[partition] records; returns {partition: [messages]}."""
    consumer.assign([TopicPartition(topic, p, o) for p, o in starts.items()])
    got = {p: [] for p in starts}
    deadline = time.time() + POLL_DEADLINE_S
    while any(len(got[p]) < counts[p] for p in starts):
        check(time.time() < deadline, "%s: got %r of %r records after %ds"
              % (topic, {p: len(m) for p, m in got.items()}, counts, POLL_DEADLINE_S))
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            check(msg.error().code() == KafkaError._PARTITION_EOF, "%s: consume error %s" % (topic, msg.error()))
            continue
        got[msg.partition()].append(msg)
    consumer.unassign()
    return got


def read_partition(consumer, topic, partition, start_offset, count):
    return read_partitions(consumer, topic, {partition: start_offset}, {partition: count})[partition]


def describe_message(msg):
    ts_type, ts = msg.timestamp()
    return {
        "partition": msg.partition(), "offset": msg.offset(), "key": msg.key(), "value": msg.value(),
        "headers": list(msg.headers() or []), "timestamp": ts,
    }


def check_records(got, expected, what):
    check_equal(len(got), len(expected), "%s record count" % what)
    for m, e in zip(got, expected):
        d = describe_message(m)
        for field in ("partition", "offset", "key", "value", "headers", "timestamp"):
            check_equal(d[field], e[field], "%s offset %d %s" % (what, e["offset"], field))
