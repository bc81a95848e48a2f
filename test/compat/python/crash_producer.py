"""Producer for the kill -9 test: acks=1, no retries, librdkafka pipelining requests.
Writes "<tag>-p<partition>-<seq>" to every partition round-robin (seq counts per
partition, so partition p's n-th record is seq n) and prints one line per delivery
report: "ACK <partition> <offset> <value>" or "NACK <partition> <value> <error>".
Stops producing at the first failed delivery (the broker was killed), then waits a
bounded time for the remaining reports and exits 0. A record whose production stopped
before it was handed to librdkafka is never sent, so each partition's sequence is gapless.

Usage: crash_producer.py BOOTSTRAP TOPIC PARTITIONS TAG
"""
import sys

from confluent_kafka import Producer

MESSAGES_MAX = 500000
FINAL_FLUSH_S = 15


def main():
    bootstrap, topic, partitions, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    producer = Producer({
        "bootstrap.servers": bootstrap, "acks": 1, "message.send.max.retries": 0, "linger.ms": 2,
        "message.timeout.ms": 3000, "enable.idempotence": False, "batch.num.messages": 50,
    })
    state = {"failed": False}

    def on_delivery(err, msg):
        if err is None:
            print("ACK %d %d %s" % (msg.partition(), msg.offset(), msg.value().decode()))
        else:
            state["failed"] = True
            print("NACK %d %s %s" % (msg.partition(), msg.value().decode(), err.name()))

    seq = [0] * partitions
    for i in range(MESSAGES_MAX):
        if state["failed"]:
            break
        p = i % partitions
        value = "%s-p%d-%d" % (tag, p, seq[p])
        seq[p] += 1
        while not state["failed"]:
            try:
                producer.produce(topic, value=value.encode(), partition=p, on_delivery=on_delivery)
                break
            except BufferError:  # local queue full: serve delivery reports, then retry
                producer.poll(0.05)
        producer.poll(0)
        sys.stdout.flush()
    producer.flush(FINAL_FLUSH_S)
    print("SENT %s" % " ".join(str(n) for n in seq))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
