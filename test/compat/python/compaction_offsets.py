"""confluent-kafka-python (librdkafka) offset commits for the __consumer_offsets compaction test.

  compaction_offsets.py BOOTSTRAP TOPIC GROUP commit N   creates TOPIC (1 partition), commits offsets 1..N
  compaction_offsets.py BOOTSTRAP TOPIC GROUP fetch      prints the committed offset of partition 0
"""
from confluent_kafka import Consumer, TopicPartition

from compat_common import CheckFailed, admin_client, check_equal, create_topic, main


def consumer(bootstrap, group):
    return Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})


def run(bootstrap, topic, group, mode, *rest):
    if mode == "commit":
        create_topic(admin_client(bootstrap), topic, 1)
        c = consumer(bootstrap, group)
        for i in range(1, int(rest[0]) + 1):
            result = c.commit(offsets=[TopicPartition(topic, 0, i)], asynchronous=False)
            check_equal(result[0].error, None, "commit %d" % i)
        c.close()
        return {"committed": int(rest[0])}
    if mode == "fetch":
        c = consumer(bootstrap, group)
        [tp] = c.committed([TopicPartition(topic, 0)], timeout=20)
        c.close()
        return {"offset": tp.offset}
    raise CheckFailed("unknown mode %s" % mode)


if __name__ == "__main__":
    main(run)
