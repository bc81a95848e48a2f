"""confluent-kafka-python AdminClient (librdkafka 2.0.2): a broker config key the broker does
not know, set by AlterConfigs on the BROKER resource (kafkajs's suite sets cleanup.policy
there), is kept as Kafka keeps custom broker configs: described back as a per-broker dynamic
value, sensitive (no value), read-only. Prints what DescribeConfigs says about it.

Usage: broker_custom_config.py BOOTSTRAP BROKER_ID KEY VALUE
"""
from confluent_kafka.admin import ConfigResource

from compat_common import admin_client, main

TIMEOUT_S = 30


def run(bootstrap, broker_id, key, value):
    admin = admin_client(bootstrap)
    res = ConfigResource(ConfigResource.Type.BROKER, broker_id, set_config={key: value})
    admin.alter_configs([res])[res].result(TIMEOUT_S)
    described = admin.describe_configs([ConfigResource(ConfigResource.Type.BROKER, broker_id)])
    entry = list(described.values())[0].result(TIMEOUT_S)[key]
    return {
        "value": entry.value,
        "source": entry.source,
        "is_sensitive": entry.is_sensitive,
        "is_read_only": entry.is_read_only,
        "synonyms": list(entry.synonyms.keys()),
    }


main(run)
