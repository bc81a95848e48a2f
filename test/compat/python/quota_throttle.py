"""confluent-kafka-python (librdkafka) against client quotas set by the test driver:
a producer with client.id rdk-producer sends one message over its producer_byte_rate, then
a small one; a consumer with client.id rdk-consumer reads a topic of two batches over its
consumer_byte_rate. Every throttle_time_ms librdkafka reads from a response is reported
through throttle_cb (ThrottleEvent.throttle_time, in seconds); both clients must keep
working. Prints the throttles seen (ms) and what was read.

Usage: quota_throttle.py BOOTSTRAP PRODUCE_TOPIC FETCH_TOPIC BIG_VALUE_BYTES FETCH_MESSAGES
"""
import time

from confluent_kafka import Consumer, Producer

from compat_common import POLL_DEADLINE_S, check, check_equal, main


def throttle_recorder():
    seen = []
    return seen, lambda event: seen.append(round(event.throttle_time * 1000))


def produce(bootstrap, topic, big_value_bytes):
    throttles, on_throttle = throttle_recorder()
    producer = Producer({"bootstrap.servers": bootstrap, "client.id": "rdk-producer", "throttle_cb": on_throttle})
    errors = []
    on_delivery = lambda err, msg: errors.append(err)  # noqa: E731
    producer.produce(topic, value=b"a" * big_value_bytes, on_delivery=on_delivery)
    check_equal(producer.flush(30), 0, "big message still queued after flush")
    deadline = time.time() + POLL_DEADLINE_S
    while not any(t > 0 for t in throttles) and time.time() < deadline:
        producer.poll(0.1)
    producer.produce(topic, value=b"after the throttle", on_delivery=on_delivery)
    check_equal(producer.flush(30), 0, "small message still queued after flush")
    check_equal(errors, [None, None], "delivery reports")
    return throttles


def consume(bootstrap, topic, count):
    throttles, on_throttle = throttle_recorder()
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "client.id": "rdk-consumer", "group.id": "quota-rdk",
        "auto.offset.reset": "earliest", "enable.auto.commit": False, "throttle_cb": on_throttle,
    })
    consumer.subscribe([topic])
    sizes = []
    deadline = time.time() + POLL_DEADLINE_S
    while len(sizes) < count and time.time() < deadline:
        msg = consumer.poll(0.2)
        if msg is None:
            continue
        check(msg.error() is None, "consume error: %s" % msg.error())
        sizes.append(len(msg.value()))
    consumer.close()
    return sizes, throttles


def run(bootstrap, produce_topic, fetch_topic, big_value_bytes, fetch_messages):
    producer_throttles = produce(bootstrap, produce_topic, int(big_value_bytes))
    sizes, consumer_throttles = consume(bootstrap, fetch_topic, int(fetch_messages))
    return {"producer_throttles_ms": producer_throttles, "consumer_throttles_ms": consumer_throttles, "consumed_sizes": sizes}


if __name__ == "__main__":
    main(run)
