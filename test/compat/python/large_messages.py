"""confluent-kafka-python: a record with a 1,000,000-byte value is accepted and read back;
one over the broker's message.max.bytes (Kafka default 1048588) is rejected by the broker
with MSG_SIZE_TOO_LARGE (Kafka error 10) and takes no offset. The client's own
message.max.bytes is raised so the broker, not librdkafka, is the one that rejects.

Usage: large_messages.py BOOTSTRAP
"""
import os

from confluent_kafka import KafkaError, Producer

from compat_common import admin_client, check, check_equal, create_topic, main, new_consumer, read_partition

TOPIC = "py-large"
BROKER_MAX_MESSAGE_BYTES = 1048588


def produce_one(producer, key, value):
    reports = []
    producer.produce(TOPIC, key=key, value=value, partition=0, on_delivery=lambda err, msg: reports.append((err, msg)))
    check_equal(producer.flush(30), 0, "flush")
    check_equal(len(reports), 1, "delivery reports for %s" % key)
    return reports[0]


def run(bootstrap):
    create_topic(admin_client(bootstrap), TOPIC, 1)
    producer = Producer({"bootstrap.servers": bootstrap, "message.max.bytes": 4000000, "acks": "all",
                         "message.send.max.retries": 0})
    big = os.urandom(1000000)
    err, msg = produce_one(producer, b"big", big)
    check(err is None, "1 MB record rejected: %s" % err)
    check_equal(msg.offset(), 0, "1 MB record offset")

    err, _ = produce_one(producer, b"too-big", os.urandom(BROKER_MAX_MESSAGE_BYTES + 100))
    check(err is not None, "a record over message.max.bytes was accepted")
    check_equal(err.code(), KafkaError.MSG_SIZE_TOO_LARGE, "error for an oversized record (%s)" % err)

    err, msg = produce_one(producer, b"after", b"small")
    check(err is None, "record after the rejected one: %s" % err)
    check_equal(msg.offset(), 1, "the rejected record took no offset")

    consumer = new_consumer(bootstrap, {"fetch.message.max.bytes": 1048576})
    got = read_partition(consumer, TOPIC, 0, 0, 2)
    check(got[0].value() == big, "1 MB value read back intact")
    check_equal((got[1].key(), got[1].value()), (b"after", b"small"), "second record")
    consumer.close()
    return {"bigBytes": len(big), "rejected": "MSG_SIZE_TOO_LARGE"}


if __name__ == "__main__":
    main(run)
