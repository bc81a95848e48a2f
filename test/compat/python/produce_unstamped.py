"""Produces records without a timestamp (timestamp=-1 reaches librdkafka unchanged; it
then writes the batch header's maxTimestamp as 0) to partition 0 of an existing topic.

Usage: produce_unstamped.py BOOTSTRAP TOPIC COUNT
"""
from confluent_kafka import Producer

from compat_common import check_equal, main

FLUSH_TIMEOUT_S = 30


def run(bootstrap, topic, count):
    count = int(count)
    delivered = []
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 50})
    for i in range(count):
        producer.produce(topic, value=b"unstamped-%d" % i, partition=0, timestamp=-1,
                         on_delivery=lambda err, msg: delivered.append(err))
    producer.flush(FLUSH_TIMEOUT_S)
    check_equal(delivered, [None] * count, "delivery reports")
    return {"delivered": len(delivered)}


main(run)
