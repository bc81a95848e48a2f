"""confluent-kafka-python side of the compaction test (librdkafka).

  compaction_load.py BOOTSTRAP TOPIC create
      creates TOPIC (1 partition) with cleanup.policy=compact, segment.bytes=1 MiB (Kafka 4's
      minimum), delete.retention.ms=0, min.cleanable.dirty.ratio=0.01
  compaction_load.py BOOTSTRAP TOPIC load STOPFILE
      keeps a producer (acks=all, keys live-0..99) and a consumer (from the beginning) running
      on TOPIC until STOPFILE exists; prints "ready" once both made progress, then a JSON
      summary; any delivery or consume error fails the run
"""
import json
import os
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

from compat_common import CheckFailed, admin_client, check, check_equal, create_topic, main

RUN_LIMIT_S = 50
LIVE_KEYS = 100


def create(bootstrap, topic):
    create_topic(admin_client(bootstrap), topic, 1, {
        "cleanup.policy": "compact", "segment.bytes": "1048576", "delete.retention.ms": "0",
        "min.cleanable.dirty.ratio": "0.01",
    })
    return {"created": topic}


def load(bootstrap, topic, stop_file):
    errors = []
    delivered = [0]

    def on_delivery(err, _msg):
        if err is not None:
            errors.append("delivery: %s" % err)
        else:
            delivered[0] += 1

    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5})
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "compaction-load", "enable.auto.commit": False,
                         "auto.offset.reset": "error", "enable.partition.eof": False})
    consumer.assign([TopicPartition(topic, 0, 0)])
    produced, consumed, ready = 0, 0, False
    deadline = time.time() + RUN_LIMIT_S
    while not os.path.exists(stop_file):
        check(time.time() < deadline, "not stopped within %ds" % RUN_LIMIT_S)
        producer.produce(topic, key=b"live-%d" % (produced % LIVE_KEYS), value=b"live-value-%d" % produced, on_delivery=on_delivery)
        produced += 1
        producer.poll(0)
        for msg in consumer.consume(500, 0.01):
            if msg.error():
                errors.append("consume: %s" % msg.error())
            else:
                consumed += 1
        if not ready and delivered[0] > 0 and consumed > 0:
            print("ready", flush=True)
            ready = True
        time.sleep(0.002)
    check_equal(producer.flush(30), 0, "messages left unflushed")
    consumer.close()
    check(not errors, "errors: %s" % errors[:5])
    check_equal(delivered[0], produced, "delivered")
    return {"produced": produced, "delivered": delivered[0], "consumed": consumed}


def run(bootstrap, topic, mode, *rest):
    if mode == "create":
        return create(bootstrap, topic)
    if mode == "load":
        return load(bootstrap, topic, rest[0])
    raise CheckFailed("unknown mode %s" % mode)


if __name__ == "__main__":
    main(run)
