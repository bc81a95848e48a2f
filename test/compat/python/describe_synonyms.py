"""confluent-kafka-python AdminClient (librdkafka 2.0.2): DescribeConfigs synonyms of a
topic's configs, as kafkajs's own suite (src/broker/__tests__/describeConfigs.spec.js)
checks them. Prints, for each asked config of the topic, its source and the names of its
synonyms (a dict by name in confluent-kafka, so a name appears once).

Usage: describe_synonyms.py BOOTSTRAP TOPIC CONFIG...
"""
from confluent_kafka.admin import ConfigResource

from compat_common import admin_client, main

TIMEOUT_S = 30


def run(bootstrap, topic, *names):
    admin = admin_client(bootstrap)
    resource = ConfigResource(ConfigResource.Type.TOPIC, topic)
    # librdkafka's DescribeConfigs always asks for synonyms (IncludeSynonyms = true).
    entries = admin.describe_configs([resource])[resource].result(TIMEOUT_S)
    return {
        name: {"source": entries[name].source, "synonyms": list(entries[name].synonyms.keys())}
        for name in names
    }


main(run)
