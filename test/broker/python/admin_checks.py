"""librdkafka's AdminClient (confluent-kafka-python) against a Gregor broker: CreateTopics
with validate_only and configs, CreatePartitions (validate_only and real), DescribeConfigs
of a topic and of the broker with synonyms, DeleteTopics. Prints one JSON object with what
it saw; the Node test asserts on it. Usage: admin_checks.py <bootstrap>"""
import json
import sys

from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

TIMEOUT_S = 20


def results(futures):
    out = {}
    for name, future in futures.items():
        try:
            future.result(timeout=TIMEOUT_S)
            out[str(name)] = "OK"
        except Exception as err:  # the Kafka error name is what we compare
            kafka_error = err.args[0] if err.args else err
            out[str(name)] = getattr(kafka_error, "name", lambda: repr(err))()
    return out


def entries(config):
    return {
        name: {
            "value": entry.value,
            "source": entry.source,
            "is_default": entry.is_default,
            "synonyms": [s.name for s in entry.synonyms.values()],
        }
        for name, entry in config.items()
    }


def main():
    admin = AdminClient({"bootstrap.servers": sys.argv[1]})
    seen = {}
    seen["validate_only"] = results(admin.create_topics([NewTopic("py-dry", 2, 1)], validate_only=True))
    seen["metadata_after_dry_run"] = "py-dry" in admin.list_topics(timeout=TIMEOUT_S).topics
    seen["create"] = results(admin.create_topics([
        NewTopic("py-grow", 1, 1, config={"retention.ms": "120000"}),
        NewTopic("py-bad", 1, 1, config={"retention.ms": "x"}),
    ]))
    seen["grow_dry"] = results(admin.create_partitions([NewPartitions("py-grow", 3)], validate_only=True))
    seen["grow"] = results(admin.create_partitions([NewPartitions("py-grow", 3)]))
    seen["shrink"] = results(admin.create_partitions([NewPartitions("py-grow", 2)]))
    seen["partitions"] = len(admin.list_topics(timeout=TIMEOUT_S).topics["py-grow"].partitions)
    topic_resource = ConfigResource(ConfigResource.Type.TOPIC, "py-grow")
    broker_resource = ConfigResource(ConfigResource.Type.BROKER, "1")
    described = admin.describe_configs([topic_resource, broker_resource])
    seen["topic_configs"] = entries(described[topic_resource].result(timeout=TIMEOUT_S))
    seen["broker_configs"] = entries(described[broker_resource].result(timeout=TIMEOUT_S))
    seen["delete"] = results(admin.delete_topics(["py-grow", "py-missing"]))
    print(json.dumps(seen))


main()
