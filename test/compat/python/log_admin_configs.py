"""confluent-kafka-python 1.7 (librdkafka 2.0) against the log-lifecycle features:
- a partition whose log start was moved by DeleteRecords (done by the test driver: this
  client has no delete_records): a consumer assigned an offset below the log start gets
  OFFSET_OUT_OF_RANGE and follows auto.offset.reset (earliest -> the new log start;
  error -> _AUTO_OFFSET_RESET);
- AdminClient.alter_configs (AlterConfigs: the whole set) and describe_configs on a topic,
  max.message.bytes enforced right after the change;
- dynamic broker configs on one broker (this client refuses the empty name of the
  cluster-wide default), and a config that cannot change at run time refused (this
  client has no incremental_alter_configs).

Usage: log_admin_configs.py BOOTSTRAP TOPIC LOG_START
"""
import time

from confluent_kafka import KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import ConfigResource, ConfigSource

from compat_common import POLL_DEADLINE_S, CheckFailed, admin_client, check, check_equal, main, new_consumer


def first_event(consumer):
    deadline = time.time() + POLL_DEADLINE_S
    while time.time() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error() and msg.error().code() == KafkaError._PARTITION_EOF:
            continue
        return msg
    raise CheckFailed("nothing delivered after %ds" % POLL_DEADLINE_S)


def check_reset(bootstrap, topic, log_start):
    earliest = new_consumer(bootstrap, {"auto.offset.reset": "earliest"})
    earliest.assign([TopicPartition(topic, 0, 2)])
    msg = first_event(earliest)
    check(msg.error() is None, "earliest reset: %s" % msg.error())
    check_equal((msg.offset(), msg.value()), (log_start, b"v%d" % log_start), "earliest reset lands on the new log start")
    earliest.close()
    strict = new_consumer(bootstrap, {"auto.offset.reset": "error"})
    strict.assign([TopicPartition(topic, 0, 2)])
    msg = first_event(strict)
    check(msg.error() is not None, "an offset below the log start delivered a record")
    check_equal(msg.error().code(), KafkaError._AUTO_OFFSET_RESET, "error policy (%s)" % msg.error())
    strict.close()


def alter(admin, resource):
    admin.alter_configs([resource])[resource].result(timeout=30)


def describe(admin, restype, name):
    resource = ConfigResource(restype, name)
    return admin.describe_configs([resource])[resource].result(timeout=30)


def produce_error(bootstrap, topic, size):
    """The delivery error of one record of `size` bytes, or None."""
    errors = []
    producer = Producer({"bootstrap.servers": bootstrap, "retries": 0})
    producer.produce(topic, value=b"x" * size, partition=1, on_delivery=lambda err, msg: errors.append(err))
    producer.flush(30)
    check_equal(len(errors), 1, "delivery reports")
    return errors[0]


def check_topic_configs(bootstrap, admin, topic):
    alter(admin, ConfigResource("topic", topic, set_config={"max.message.bytes": "2000", "retention.ms": "86400000"}))
    entries = describe(admin, "topic", topic)
    check_equal(entries["max.message.bytes"].value, "2000", "max.message.bytes after alter_configs")
    check_equal(entries["max.message.bytes"].source, ConfigSource.DYNAMIC_TOPIC_CONFIG.value, "source of a topic override")
    check_equal(entries["segment.bytes"].source, ConfigSource.DEFAULT_CONFIG.value, "source of a default")
    err = produce_error(bootstrap, topic, 5000)
    check(err is not None and err.code() == KafkaError.MSG_SIZE_TOO_LARGE, "5000 bytes over max.message.bytes=2000: %s" % err)
    alter(admin, ConfigResource("topic", topic, set_config={"retention.ms": "86400000"}))
    check_equal(describe(admin, "topic", topic)["max.message.bytes"].source, ConfigSource.DEFAULT_CONFIG.value, "whole set replaced")
    check_equal(produce_error(bootstrap, topic, 5000), None, "accepted again after the override is gone")


def check_broker_configs(admin, topic):
    alter(admin, ConfigResource("broker", "1", set_config={"log.segment.bytes": "2097152"}))
    entries = describe(admin, "broker", "1")
    check_equal((entries["log.segment.bytes"].value, entries["log.segment.bytes"].source),
                ("2097152", ConfigSource.DYNAMIC_BROKER_CONFIG.value), "per-broker dynamic config")
    check_equal(entries["log.retention.bytes"].source, ConfigSource.DEFAULT_CONFIG.value, "a default")
    check_equal(entries["log.segment.bytes"].is_read_only, False, "a dynamic config is not read-only")
    check_equal(entries["num.partitions"].is_read_only, True, "num.partitions is read-only")
    check_equal(describe(admin, "topic", topic)["segment.bytes"].value, "2097152", "topics follow the broker config")
    try:
        alter(admin, ConfigResource("broker", "1", set_config={"num.partitions": "3"}))
        raise CheckFailed("num.partitions was changed dynamically")
    except KafkaException as e:
        check_equal(e.args[0].code(), KafkaError.INVALID_REQUEST, "error code for a read-only broker config")
        check("Cannot update these configs dynamically" in e.args[0].str(), "message: %s" % e.args[0].str())
    alter(admin, ConfigResource("broker", "1", set_config={}))
    check_equal(describe(admin, "topic", topic)["segment.bytes"].value, "1073741824", "back to the default")


def run(bootstrap, topic, log_start):
    check_reset(bootstrap, topic, int(log_start))
    admin = admin_client(bootstrap)
    check_topic_configs(bootstrap, admin, topic)
    check_broker_configs(admin, topic)
    return {"ok": True}


if __name__ == "__main__":
    main(run)
