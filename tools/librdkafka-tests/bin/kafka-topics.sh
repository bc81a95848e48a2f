#!/bin/sh
# Stand-in for Apache Kafka's bin/kafka-topics.sh, used by librdkafka's test suite
# (test_kafka_topics() in tests/test.c runs "$KAFKA_PATH/bin/kafka-topics.sh
# --bootstrap-server $BROKERS ..."). There is no Java here, so the same admin requests
# are sent through confluent-kafka-python (Debian's /usr/bin/python3).
exec /usr/bin/python3 "$(dirname "$0")/kafka_topics.py" "$@"
