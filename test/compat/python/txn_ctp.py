"""Transactional consume-transform-produce with confluent-kafka-python (librdkafka).

Reads N records from txn-in, writes one output per input to txn-out inside transactions
of BATCH records, committing the consumer offsets with send_offsets_to_transaction;
every 10th transaction is aborted (and its input re-processed). Checks:
  - a read_committed consumer of txn-out sees each input exactly once, nothing from an
    aborted transaction;
  - a read_uncommitted consumer also sees the aborted transactions' records;
  - the group's committed offsets reach the end of txn-in.
args: bootstrap records batch
"""
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from compat_common import POLL_DEADLINE_S, check, check_equal, main

PARTITIONS = 3
ABORT_EVERY = 10


def create_topics(bootstrap, names):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    for f in admin.create_topics([NewTopic(n, PARTITIONS, 1) for n in names]).values():
        f.result()


def fill_input(bootstrap, topic, count):
    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
    for i in range(count):
        p.produce(topic, key=str(i), value="in-%d" % i, partition=i % PARTITIONS)
        if i % 1000 == 0:
            p.poll(0)
    check_equal(p.flush(30), 0, "unflushed input records")


def transform(bootstrap, src, dst, count, batch):
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "group.id": "txn-ctp", "isolation.level": "read_committed",
        "enable.auto.commit": False, "auto.offset.reset": "earliest",
    })
    producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": "txn-ctp-1", "linger.ms": 5})
    producer.init_transactions(30)
    consumer.subscribe([src])
    done, txn_no, aborted = set(), 0, set()
    idle = 0
    while len(done) < count:
        msgs = [m for m in consumer.consume(num_messages=batch, timeout=1) if m.error() is None]
        if not msgs:
            idle += 1
            check(idle < POLL_DEADLINE_S, "no input for %ds with %d/%d done" % (POLL_DEADLINE_S, len(done), count))
            continue
        idle = 0
        txn_no += 1
        producer.begin_transaction()
        for m in msgs:
            producer.produce(dst, key=m.key(), value="%s|%d" % (m.value().decode(), txn_no), partition=m.partition())
        positions = consumer.position(consumer.assignment())
        producer.send_offsets_to_transaction(positions, consumer.consumer_group_metadata(), 30)
        if txn_no % ABORT_EVERY == 0:
            # abort_transaction purges records still queued in librdkafka; flush first so the
            # aborted records reach the log and read_uncommitted has something to see.
            producer.flush(30)
            producer.abort_transaction(30)
            aborted.add(txn_no)
            firsts = {}
            for m in msgs:
                firsts.setdefault(m.partition(), m.offset())
            for partition, offset in firsts.items():
                consumer.seek(TopicPartition(src, partition, offset))
        else:
            producer.commit_transaction(30)
            done.update(m.value().decode() for m in msgs)
    committed = consumer.committed([TopicPartition(src, p) for p in range(PARTITIONS)], 30)
    consumer.close()
    return txn_no, aborted, sum(tp.offset for tp in committed)


def read_all(bootstrap, topic, isolation, expected_min):
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "group.id": "txn-ctp-check-" + isolation, "isolation.level": isolation,
        "enable.auto.commit": False, "auto.offset.reset": "earliest",
    })
    consumer.subscribe([topic])
    values, idle = [], 0
    while idle < 3 or len(values) < expected_min:
        msgs = [m for m in consumer.consume(num_messages=1000, timeout=1) if m.error() is None]
        idle = 0 if msgs else idle + 1
        check(idle < POLL_DEADLINE_S, "%s consumer stuck at %d records" % (isolation, len(values)))
        values.extend(m.value().decode() for m in msgs)
    consumer.close()
    return values


def run(bootstrap, records, batch):
    count, batch = int(records), int(batch)
    create_topics(bootstrap, ["txn-in", "txn-out"])
    fill_input(bootstrap, "txn-in", count)
    txns, aborted, committed_total = transform(bootstrap, "txn-in", "txn-out", count, batch)
    check_equal(committed_total, count, "committed offsets of the group")
    check(len(aborted) > 0, "no transaction was aborted")
    committed = read_all(bootstrap, "txn-out", "read_committed", count)
    inputs = [v.split("|")[0] for v in committed]
    check_equal(len(inputs), count, "records seen by read_committed")
    check_equal(len(set(inputs)), count, "distinct inputs seen by read_committed")
    check(all(int(v.split("|")[1]) not in aborted for v in committed), "read_committed saw an aborted record")
    uncommitted = read_all(bootstrap, "txn-out", "read_uncommitted", count)
    aborted_seen = sum(1 for v in uncommitted if int(v.split("|")[1]) in aborted)
    check(aborted_seen > 0, "read_uncommitted did not see aborted records")
    return {"transactions": txns, "aborted": len(aborted), "committed_records": len(committed), "uncommitted_records": len(uncommitted)}


if __name__ == "__main__":
    main(run)
