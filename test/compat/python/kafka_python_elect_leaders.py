"""kafka-python 2.0.2 (Debian python3-kafka): ElectLeaders v1 through its protocol layer
and admin client connection (2.0.2 has no elect_leaders() yet; kafka-python 3's own suite,
test_admin_integration.py::test_elect_leaders, found Gregor lacking the API). Creates a
two-partition topic, then asks for preferred elections of its partitions, an unknown
partition and an unknown topic, for every partition (null list), and with an unknown
election type; prints the error codes per topic and partition.

Usage: kafka_python_elect_leaders.py BOOTSTRAP TOPIC
"""
from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.protocol.api import Request, Response
from kafka.protocol.types import Array, Int8, Int16, Int32, Schema, String

from compat_common import main

TIMEOUT_MS = 30000
PREFERRED = 0


class ElectLeadersResponse_v1(Response):
    API_KEY = 43
    API_VERSION = 1
    SCHEMA = Schema(
        ('throttle_time_ms', Int32),
        ('error_code', Int16),
        ('replica_election_results', Array(
            ('topic', String('utf-8')),
            ('partition_result', Array(
                ('partition_id', Int32),
                ('error_code', Int16),
                ('error_message', String('utf-8')))))))


class ElectLeadersRequest_v1(Request):
    API_KEY = 43
    API_VERSION = 1
    RESPONSE_TYPE = ElectLeadersResponse_v1
    SCHEMA = Schema(
        ('election_type', Int8),
        ('topic_partitions', Array(
            ('topic', String('utf-8')),
            ('partitions', Array(Int32)))),
        ('timeout_ms', Int32))


def elect(admin, election_type, topic_partitions):
    request = ElectLeadersRequest_v1(election_type, topic_partitions, TIMEOUT_MS)
    future = admin._send_request_to_node(admin._controller_id, request)
    admin._wait_for_futures([future])
    response = future.value
    return {
        'error_code': response.error_code,
        'results': {topic: {str(p): code for p, code, _message in parts}
                    for topic, parts in response.replica_election_results},
    }


def run(bootstrap, topic):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id='compat-kafka-python')
    try:
        admin.create_topics([NewTopic(topic, 2, 1)])
        return {
            'named': elect(admin, PREFERRED, [(topic, [0, 1, 9]), (topic + '-missing', [0])]),
            'all': elect(admin, PREFERRED, None),
            'bad_type': elect(admin, 7, [(topic, [0])]),
        }
    finally:
        admin.close()


main(run)
