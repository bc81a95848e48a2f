"""confluent-kafka-python: a group member commits, the broker restarts, and the next
member of the group resumes exactly at the committed offsets (auto.offset.reset is
earliest, so offsets lost by the broker would show up as a restart from 0).

Usage: groups_resume.py BOOTSTRAP EXPECT_START COMMIT_AT
  EXPECT_START -1: first run, creates the topic and produces the records (reads from 0);
  otherwise every partition's first delivered record must be at EXPECT_START.
  COMMIT_AT: the offset committed for every partition before closing.
"""
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

from compat_common import POLL_DEADLINE_S, admin_client, check, check_equal, create_topic, main

TOPIC = "py-groups-resume"
GROUP = "py-groups-resume"
PARTITIONS = 3
PER_PARTITION = 10


def produce(bootstrap):
    create_topic(admin_client(bootstrap), TOPIC, PARTITIONS)
    producer = Producer({"bootstrap.servers": bootstrap})
    for i in range(PARTITIONS * PER_PARTITION):
        producer.produce(TOPIC, value=b"v%d" % i, partition=i % PARTITIONS)
    check_equal(producer.flush(30), 0, "flush")


def run(bootstrap, expect_start, commit_at):
    expect_start, commit_at = int(expect_start), int(commit_at)
    if expect_start < 0:
        produce(bootstrap)
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "group.id": GROUP, "enable.auto.commit": False,
        "auto.offset.reset": "earliest", "session.timeout.ms": 6000, "heartbeat.interval.ms": 500,
    })
    consumer.subscribe([TOPIC])
    first, last = {}, {}
    deadline = time.time() + POLL_DEADLINE_S
    while any(last.get(p) != PER_PARTITION - 1 for p in range(PARTITIONS)):
        check(time.time() < deadline, "timed out reading to the end: first %r last %r" % (first, last))
        msg = consumer.poll(0.2)
        if msg is None or (msg.error() and msg.error().code() == KafkaError._PARTITION_EOF):
            continue
        check(msg.error() is None, "consume error %s" % msg.error())
        first.setdefault(msg.partition(), msg.offset())
        last[msg.partition()] = msg.offset()
    check_equal(first, {p: max(expect_start, 0) for p in range(PARTITIONS)}, "first offsets after resuming")
    offsets = [TopicPartition(TOPIC, p, commit_at) for p in range(PARTITIONS)]
    consumer.commit(offsets=offsets, asynchronous=False)
    committed = consumer.committed([TopicPartition(TOPIC, p) for p in range(PARTITIONS)], timeout=10)
    check_equal([tp.offset for tp in committed], [commit_at] * PARTITIONS, "committed offsets read back")
    consumer.close()
    return {"first": first, "committed": commit_at}


if __name__ == "__main__":
    main(run)
