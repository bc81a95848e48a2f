"""The subset of kafka-topics.sh that librdkafka's tests use, over the Kafka admin API.

  --bootstrap-server B --create --topic T [--partitions N] [--replication-factor R] [--config k=v]...
  --bootstrap-server B --alter --topic T --partitions N
  --bootstrap-server B --delete --topic T

Exits 0 on success, 1 with the broker's error on stderr otherwise (as kafka-topics.sh).
"""
import argparse
import sys

from confluent_kafka.admin import AdminClient, NewPartitions, NewTopic

TIMEOUT_S = 30


def parse(argv):
    p = argparse.ArgumentParser(prog='kafka-topics.sh')
    p.add_argument('--bootstrap-server', required=True)
    action = p.add_mutually_exclusive_group(required=True)
    action.add_argument('--create', action='store_true')
    action.add_argument('--alter', action='store_true')
    action.add_argument('--delete', action='store_true')
    p.add_argument('--topic', required=True)
    p.add_argument('--partitions', type=int)
    p.add_argument('--replication-factor', type=int)
    p.add_argument('--config', action='append', default=[])
    return p.parse_args(argv)


def submit(args, admin):
    if args.create:
        configs = dict(c.split('=', 1) for c in args.config)
        topic = NewTopic(args.topic, num_partitions=args.partitions or -1,
                         replication_factor=args.replication_factor or -1, config=configs)
        return admin.create_topics([topic], operation_timeout=TIMEOUT_S)
    if args.alter:
        if args.partitions is None:
            sys.exit('kafka-topics.sh stand-in: --alter supports only --partitions')
        return admin.create_partitions([NewPartitions(args.topic, args.partitions)],
                                       operation_timeout=TIMEOUT_S)
    return admin.delete_topics([args.topic], operation_timeout=TIMEOUT_S)


def main():
    args = parse(sys.argv[1:])
    admin = AdminClient({'bootstrap.servers': args.bootstrap_server})
    for name, future in submit(args, admin).items():
        try:
            future.result(TIMEOUT_S)
        except Exception as e:  # the broker's KafkaException, printed as the tool would
            print(f'Error while executing topic command for {name}: {e}', file=sys.stderr)
            sys.exit(1)


main()
