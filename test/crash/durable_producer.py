"""Durable variant of test/compat/python/crash_producer.py (same records, same output):
creates the topic with flush.messages=1 if it does not exist, and produces with acks=all,
so every acknowledgement comes after the group-commit fsync that covers the record.

Usage: durable_producer.py BOOTSTRAP TOPIC PARTITIONS TAG
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "compat", "python"))

import crash_producer  # noqa: E402
from confluent_kafka import KafkaError, KafkaException, Producer  # noqa: E402
from confluent_kafka.admin import AdminClient, NewTopic  # noqa: E402

CREATE_TIMEOUT_S = 15


def create_topic(bootstrap, topic, partitions):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(topic, partitions, 1, config={"flush.messages": "1"})], request_timeout=CREATE_TIMEOUT_S)
    try:
        futures[topic].result(CREATE_TIMEOUT_S)
    except KafkaException as e:
        if e.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
            raise


if __name__ == "__main__":
    create_topic(sys.argv[1], sys.argv[2], int(sys.argv[3]))
    crash_producer.Producer = lambda conf: Producer({**conf, "acks": "all"})
    crash_producer.main()
