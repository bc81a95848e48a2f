"""confluent-kafka-python AdminClient (librdkafka 2.0.2): create topics (with a config
override), see them in metadata, describe their configs and the broker's, get TOPIC_ALREADY_EXISTS on a
second create, delete them; and auto-creation of a topic by producing to a new name.

Usage: admin_ops.py BOOTSTRAP
"""
from confluent_kafka import KafkaError, KafkaException, Producer
from confluent_kafka.admin import ConfigResource, NewTopic

from compat_common import (CheckFailed, admin_client, check, check_equal, create_topic, main, new_consumer,
                           read_partition)

TOPIC = "py-admin"
AUTO_TOPIC = "py-auto-created"


def check_metadata(admin, topic, partitions):
    md = admin.list_topics(timeout=10)
    check(topic in md.topics, "%s missing from metadata" % topic)
    t = md.topics[topic]
    check(t.error is None, "%s metadata error %s" % (topic, t.error))
    check_equal(sorted(t.partitions), list(range(partitions)), "%s partitions" % topic)
    for p in t.partitions.values():
        check(p.leader in md.brokers, "%s-%d leader %d is a known broker" % (topic, p.id, p.leader))
        check_equal(p.replicas, [p.leader], "%s-%d replicas" % (topic, p.id))
        check_equal(p.isrs, [p.leader], "%s-%d isr" % (topic, p.id))


def check_second_create_fails(admin):
    futures = admin.create_topics([NewTopic(TOPIC, 3, 1)], operation_timeout=10)
    try:
        futures[TOPIC].result(timeout=30)
    except KafkaException as e:
        check_equal(e.args[0].code(), KafkaError.TOPIC_ALREADY_EXISTS, "second create error")
        return
    raise CheckFailed("creating an existing topic succeeded")


def check_configs(admin):
    res = ConfigResource(ConfigResource.Type.TOPIC, TOPIC)
    configs = admin.describe_configs([res])[res].result(timeout=30)
    check_equal(configs["retention.ms"].value, "3600000", "retention.ms")
    check(not configs["retention.ms"].is_default, "retention.ms is an override")
    check_equal(configs["cleanup.policy"].value, "delete", "cleanup.policy")
    check(configs["cleanup.policy"].is_default, "cleanup.policy is a default")
    check("max.message.bytes" in configs, "every topic config is described")


def check_broker_configs(admin):
    md = admin.list_topics(timeout=10)
    res = ConfigResource(ConfigResource.Type.BROKER, str(next(iter(md.brokers))))
    configs = admin.describe_configs([res])[res].result(timeout=30)
    check_equal(configs["message.max.bytes"].value, "1048588", "broker message.max.bytes default")
    check_equal(configs["auto.create.topics.enable"].value, "true", "broker auto.create.topics.enable default")
    check(configs["message.max.bytes"].is_default, "message.max.bytes is a default")


def check_delete(admin):
    admin.delete_topics([TOPIC], operation_timeout=10)[TOPIC].result(timeout=30)
    check(TOPIC not in admin.list_topics(timeout=10).topics, "deleted topic still listed")


def check_auto_create(bootstrap, admin):
    check(AUTO_TOPIC not in admin.list_topics(timeout=10).topics, "auto topic exists before produce")
    producer = Producer({"bootstrap.servers": bootstrap})
    reports = []
    producer.produce(AUTO_TOPIC, key=b"k", value=b"first", on_delivery=lambda err, msg: reports.append((err, msg)))
    check_equal(producer.flush(30), 0, "flush to auto-created topic")
    err, msg = reports[0]
    check(err is None, "produce to a new topic: %s" % err)
    check(AUTO_TOPIC in admin.list_topics(timeout=10).topics, "auto-created topic listed")
    consumer = new_consumer(bootstrap)
    got = read_partition(consumer, AUTO_TOPIC, msg.partition(), 0, 1)
    check_equal((got[0].key(), got[0].value()), (b"k", b"first"), "auto-created topic record")
    consumer.close()


def run(bootstrap):
    admin = admin_client(bootstrap)
    create_topic(admin, TOPIC, 3, {"retention.ms": "3600000"})
    check_metadata(admin, TOPIC, 3)
    check_second_create_fails(admin)
    check_configs(admin)
    check_broker_configs(admin)
    check_delete(admin)
    check_auto_create(bootstrap, admin)
    return {"ok": True}


if __name__ == "__main__":
    main(run)
