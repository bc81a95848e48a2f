"""confluent-kafka-python static membership (group.instance.id, KIP-345): a static member
closes (librdkafka sends no LeaveGroup for a static member) and a new consumer with the
same group.instance.id joins within the session timeout. The coordinator gives it the old
member's assignment without a rebalance: the other member sees no revoke/assign, and the
restarted member gets the same partitions as before.

Prints {"phase": "restarted"} when the new instance has its assignment (the node test
describes the group then), keeps the other member polling for a few heartbeat intervals,
and prints the summary.

Usage: groups_static.py BOOTSTRAP
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError

from compat_common import POLL_DEADLINE_S, admin_client, check, check_equal, create_topic, main

TOPIC = "py-groups-static"
GROUP = "py-groups-static"
PARTITIONS = 4
SESSION_TIMEOUT_MS = 6000
HEARTBEAT_INTERVAL_MS = 300
# Polling the other member this long after the restart lets it see a rebalance if there
# was one: several heartbeat intervals, well inside the session timeout.
QUIET_PERIOD_S = 2.0


class Member:
    def __init__(self, name, bootstrap, instance_id):
        self.name = name
        self.assigned = set()
        self.assign_events = 0
        self.revoke_events = 0
        conf = {
            "bootstrap.servers": bootstrap, "group.id": GROUP, "client.id": "py-static-" + name,
            "enable.auto.commit": False, "auto.offset.reset": "earliest",
            "session.timeout.ms": SESSION_TIMEOUT_MS, "heartbeat.interval.ms": HEARTBEAT_INTERVAL_MS,
        }
        if instance_id is not None:
            conf["group.instance.id"] = instance_id
        self.consumer = Consumer(conf)
        self.consumer.subscribe([TOPIC], on_assign=self.on_assign, on_revoke=self.on_revoke)

    def on_assign(self, consumer, partitions):
        self.assign_events += 1
        self.assigned = {p.partition for p in partitions}

    def on_revoke(self, consumer, partitions):
        self.revoke_events += 1
        self.assigned = set()

    def poll_once(self):
        msg = self.consumer.poll(0.05)
        if msg is not None and msg.error():
            check(msg.error().code() == KafkaError._PARTITION_EOF, "%s: %s" % (self.name, msg.error()))


def poll_until(members, cond, what, deadline_s=POLL_DEADLINE_S):
    deadline = time.time() + deadline_s
    while not cond():
        check(time.time() < deadline, "timed out waiting for %s: %r" % (
            what, [(m.name, sorted(m.assigned), m.assign_events, m.revoke_events) for m in members]))
        for m in members:
            m.poll_once()


def balanced(a, b):
    return len(a.assigned) > 0 and len(b.assigned) > 0 and len(a.assigned | b.assigned) == PARTITIONS \
        and not (a.assigned & b.assigned)


def run(bootstrap):
    create_topic(admin_client(bootstrap), TOPIC, PARTITIONS)
    static = Member("static", bootstrap, "instance-a")
    other = Member("other", bootstrap, "instance-b")
    poll_until([static, other], lambda: balanced(static, other), "both members to be assigned")
    # Let any follow-up rebalance settle before taking the baseline.
    deadline = time.time() + QUIET_PERIOD_S
    while time.time() < deadline:
        static.poll_once()
        other.poll_once()
    check(balanced(static, other), "assignment moved while idle")
    before = sorted(static.assigned)
    baseline = (other.assign_events, other.revoke_events)

    static.consumer.close()
    restarted = Member("restarted", bootstrap, "instance-a")
    poll_until([restarted, other], lambda: len(restarted.assigned) > 0, "the restarted static member's assignment")
    print(json.dumps({"phase": "restarted"}))
    sys.stdout.flush()
    deadline = time.time() + QUIET_PERIOD_S
    while time.time() < deadline:
        restarted.poll_once()
        other.poll_once()
    check_equal(sorted(restarted.assigned), before, "the restarted member's partitions")
    check_equal((other.assign_events, other.revoke_events), baseline, "the other member's (assign, revoke) callbacks")
    restarted.consumer.close()
    other.consumer.close()
    return {"partitions": before, "other_callbacks": list(baseline)}


if __name__ == "__main__":
    main(run)
