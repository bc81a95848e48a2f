"""confluent-kafka-python AdminClient (librdkafka 2.0.2): a broker's SASL listener config
(Kafka reconfigures these at run time) is altered through AlterConfigs on the BROKER
resource and described back as a dynamic per-broker value, as librdkafka's test 0081 does.

Usage: broker_sasl_config.py BOOTSTRAP BROKER_ID
"""
from confluent_kafka.admin import ConfigResource, ConfigSource

from compat_common import admin_client, check_equal, main

KEY = "sasl.kerberos.min.time.before.relogin"
TIMEOUT_S = 30


def run(bootstrap, broker_id):
    admin = admin_client(bootstrap)
    before = admin.describe_configs([ConfigResource(ConfigResource.Type.BROKER, broker_id)])
    entry = list(before.values())[0].result(TIMEOUT_S)[KEY]
    check_equal((entry.value, entry.source), ("60000", ConfigSource.DEFAULT_CONFIG.value), "%s default" % KEY)

    res = ConfigResource(ConfigResource.Type.BROKER, broker_id, set_config={KEY: "58000"})
    admin.alter_configs([res])[res].result(TIMEOUT_S)

    after = admin.describe_configs([ConfigResource(ConfigResource.Type.BROKER, broker_id)])
    entry = list(after.values())[0].result(TIMEOUT_S)[KEY]
    check_equal((entry.value, entry.source), ("58000", ConfigSource.DYNAMIC_BROKER_CONFIG.value), "%s after AlterConfigs" % KEY)
    return {"value": entry.value}


main(run)
