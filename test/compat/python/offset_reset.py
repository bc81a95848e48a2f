"""confluent-kafka-python: a consumer assigned an offset past the log end gets
OFFSET_OUT_OF_RANGE from Fetch and applies auto.offset.reset (ListOffsets earliest or
latest), or reports _AUTO_OFFSET_RESET when the policy is 'error'.

Usage: offset_reset.py BOOTSTRAP
"""
import time

from confluent_kafka import KafkaError, Producer, TopicPartition

from compat_common import POLL_DEADLINE_S, CheckFailed, admin_client, check, check_equal, create_topic, main, new_consumer

TOPIC = "py-offset-reset"
PAST_END = 1000


def produce(bootstrap, values):
    producer = Producer({"bootstrap.servers": bootstrap})
    for v in values:
        producer.produce(TOPIC, value=v, partition=0)
    check_equal(producer.flush(30), 0, "flush")


def first_event(consumer):
    """The first message or error (other than partition EOF) the consumer delivers."""
    deadline = time.time() + POLL_DEADLINE_S
    while time.time() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error() and msg.error().code() == KafkaError._PARTITION_EOF:
            continue
        return msg
    raise CheckFailed("nothing delivered after %ds" % POLL_DEADLINE_S)


def run(bootstrap):
    create_topic(admin_client(bootstrap), TOPIC, 1)
    produce(bootstrap, [b"r0", b"r1", b"r2"])

    earliest = new_consumer(bootstrap, {"auto.offset.reset": "earliest"})
    earliest.assign([TopicPartition(TOPIC, 0, PAST_END)])
    msg = first_event(earliest)
    check(msg.error() is None, "earliest reset: %s" % msg.error())
    check_equal((msg.offset(), msg.value()), (0, b"r0"), "earliest reset starts at the log start")
    earliest.close()

    latest = new_consumer(bootstrap, {"auto.offset.reset": "latest", "enable.partition.eof": True})
    latest.assign([TopicPartition(TOPIC, 0, PAST_END)])
    msg = None
    deadline = time.time() + POLL_DEADLINE_S
    while msg is None or msg.error() is None or msg.error().code() != KafkaError._PARTITION_EOF:
        check(time.time() < deadline, "latest reset never reached the end")
        msg = latest.poll(0.5)
        check(msg is None or msg.error() is not None, "latest reset delivered an old record")
    check_equal(msg.offset(), 3, "latest reset lands at the log end offset")
    produce(bootstrap, [b"r3"])
    msg = first_event(latest)
    check_equal((msg.offset(), msg.value()), (3, b"r3"), "latest reset then reads new records")
    latest.close()

    strict = new_consumer(bootstrap, {"auto.offset.reset": "error"})
    strict.assign([TopicPartition(TOPIC, 0, PAST_END)])
    msg = first_event(strict)
    check(msg.error() is not None, "offset past the end delivered a record")
    check_equal(msg.error().code(), KafkaError._AUTO_OFFSET_RESET, "error for an out-of-range offset (%s)" % msg.error())
    strict.close()
    return {"ok": True}


if __name__ == "__main__":
    main(run)
