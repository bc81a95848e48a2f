"""Idempotent producing with librdkafka (confluent-kafka-python, enable.idempotence=True,
acks=all, up to 5 requests in flight): `count` values "<tag>-<i>" over `partitions`
partitions, every delivery report must succeed; then every partition is read back and
must hold exactly the values sent to it, in send order, at offsets 0, 1, 2, ... (no
duplicates, no gaps). Args: bootstrap topic tag count partitions."""
from confluent_kafka import Producer

from compat_common import check, check_equal, main, new_consumer, read_partitions


def run(bootstrap, topic, tag, count, partitions):
    count, partitions = int(count), int(partitions)
    producer = Producer({
        "bootstrap.servers": bootstrap,
        "enable.idempotence": True,
        "linger.ms": 5,
        "batch.num.messages": 50,
        "retry.backoff.ms": 100,
    })
    failures = []
    delivered = []

    def on_delivery(err, msg):
        if err is not None:
            failures.append(str(err))
        else:
            delivered.append((msg.partition(), msg.offset()))

    sent = [[] for _ in range(partitions)]
    for i in range(count):
        value = ("%s-%d" % (tag, i)).encode()
        sent[i % partitions].append(value)
        producer.produce(topic, value=value, partition=i % partitions, on_delivery=on_delivery)
        producer.poll(0)
    remaining = producer.flush(30)
    check_equal(remaining, 0, "messages not delivered after flush")
    check(not failures, "delivery failures: %r" % failures[:5])
    check_equal(len(delivered), count, "delivery reports")

    consumer = new_consumer(bootstrap)
    got = read_partitions(consumer, topic, {p: 0 for p in range(partitions)}, {p: len(sent[p]) for p in range(partitions)})
    consumer.close()
    for p in range(partitions):
        check_equal([m.offset() for m in got[p]], list(range(len(sent[p]))), "partition %d offsets" % p)
        check_equal([m.value() for m in got[p]], sent[p], "partition %d values" % p)
    # Each delivery report names the offset the broker gave (the original one for a retry).
    check_equal(sorted(delivered), sorted((p, o) for p in range(partitions) for o in range(len(sent[p]))), "delivered offsets")
    return {"delivered": len(delivered)}


if __name__ == "__main__":
    main(run)
