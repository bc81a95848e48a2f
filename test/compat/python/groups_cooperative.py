"""confluent-kafka-python (librdkafka) consumer group with
partition.assignment.strategy=cooperative-sticky: a first consumer owns all 6 partitions
and reads the first half of the records; a second joins and the incremental rebalance
moves only some partitions (the first consumer is never asked to give up all of them);
both read the second half. Each record is consumed exactly once across the two, every
record is committed (synchronously, right after it is processed), and the group's
committed offsets end at the log end. AdminClient.list_groups (librdkafka's ListGroups and
DescribeGroups) shows the Stable group with both members.

Usage: groups_cooperative.py BOOTSTRAP
"""
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

from compat_common import POLL_DEADLINE_S, admin_client, check, check_equal, create_topic, main

TOPIC = "py-groups-cooperative"
GROUP = "py-groups-cooperative"
PARTITIONS = 6
HALF = 120


class Member:
    def __init__(self, name, bootstrap):
        self.name = name
        self.assigned = set()
        self.assign_events = []
        self.revoke_events = []
        self.consumed = []
        self.consumer = Consumer({
            "bootstrap.servers": bootstrap,
            "group.id": GROUP,
            "client.id": "py-coop-" + name,
            "partition.assignment.strategy": "cooperative-sticky",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "session.timeout.ms": 6000,
            "heartbeat.interval.ms": 500,
            "fetch.wait.max.ms": 100,
        })
        self.consumer.subscribe([TOPIC], on_assign=self.on_assign, on_revoke=self.on_revoke)

    def on_assign(self, consumer, partitions):
        # With a cooperative protocol the client applies the increment itself when the
        # callback does not call incremental_assign.
        self.assign_events.append(sorted(p.partition for p in partitions))
        self.assigned |= {p.partition for p in partitions}

    def on_revoke(self, consumer, partitions):
        self.revoke_events.append(sorted(p.partition for p in partitions))
        self.assigned -= {p.partition for p in partitions}

    def poll_once(self):
        msg = self.consumer.poll(0.05)
        if msg is None:
            return
        if msg.error():
            check(msg.error().code() == KafkaError._PARTITION_EOF, "%s: consume error %s" % (self.name, msg.error()))
            return
        self.consumed.append((msg.partition(), msg.offset()))
        self.consumer.commit(message=msg, asynchronous=False)


def describe_group(bootstrap, members):
    """AdminClient.list_groups: librdkafka's ListGroups to every broker, then DescribeGroups."""
    groups = admin_client(bootstrap).list_groups(GROUP, timeout=10)
    check_equal(len(groups), 1, "groups listed")
    g = groups[0]
    check(g.error is None, "list_groups error %s" % g.error)
    check_equal((g.id, g.state, g.protocol_type, g.protocol), (GROUP, "Stable", "consumer", "cooperative-sticky"), "group")
    check_equal(sorted(m.client_id for m in g.members), sorted("py-coop-" + m.name for m in members), "member client ids")
    for m in g.members:
        check(len(m.assignment) > 0 and len(m.metadata) > 0, "member %s has no metadata/assignment bytes" % m.id)


def produce(bootstrap, start, count):
    producer = Producer({"bootstrap.servers": bootstrap})
    for i in range(start, start + count):
        producer.produce(TOPIC, value=b"v%d" % i, partition=i % PARTITIONS)
    check_equal(producer.flush(30), 0, "flush")


def poll_until(members, cond, what):
    deadline = time.time() + POLL_DEADLINE_S
    while not cond():
        check(time.time() < deadline, "timed out waiting for %s: %r" % (what, [
            (m.name, sorted(m.assigned), len(m.consumed), m.assign_events, m.revoke_events) for m in members]))
        for m in members:
            m.poll_once()


def total(members):
    return sum(len(m.consumed) for m in members)


def run(bootstrap):
    create_topic(admin_client(bootstrap), TOPIC, PARTITIONS)
    produce(bootstrap, 0, HALF)
    a = Member("a", bootstrap)
    poll_until([a], lambda: total([a]) == HALF, "the first consumer to read the first half")
    check_equal(sorted(a.assigned), list(range(PARTITIONS)), "the lone consumer owns every partition")

    b = Member("b", bootstrap)
    both = [a, b]
    poll_until(both, lambda: len(b.assigned) > 0 and len(a.assigned) + len(b.assigned) == PARTITIONS
               and not (a.assigned & b.assigned), "the two consumers to share the partitions")
    for revoked in a.revoke_events:
        check(len(revoked) < PARTITIONS, "cooperative rebalance revoked every partition of the first consumer: %r" % a.revoke_events)
    check(len(a.revoke_events) > 0, "the first consumer gave up no partition")

    describe_group(bootstrap, both)

    produce(bootstrap, HALF, HALF)
    poll_until(both, lambda: total(both) == 2 * HALF, "both halves to be consumed")
    seen = a.consumed + b.consumed
    check_equal(len(set(seen)), len(seen), "records consumed more than once")
    expected = sorted((i % PARTITIONS, i // PARTITIONS) for i in range(2 * HALF))
    check_equal(sorted(seen), expected, "records consumed")
    check(any(off >= HALF // PARTITIONS for _, off in b.consumed), "the second consumer read none of the second half")

    committed = a.consumer.committed([TopicPartition(TOPIC, p) for p in range(PARTITIONS)], timeout=10)
    check_equal([tp.offset for tp in committed], [2 * HALF // PARTITIONS] * PARTITIONS, "committed offsets")
    for m in both:
        m.consumer.close()
    return {"a": len(a.consumed), "b": len(b.consumed), "a_revoked": a.revoke_events, "b_assigned": b.assign_events}


if __name__ == "__main__":
    main(run)
