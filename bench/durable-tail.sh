#!/usr/bin/env bash
# Scenario 4's fixed-rate part, one run, for looking at its tail: a 16-partition topic with
# flush.messages=1, rdkafka_performance at ~20,480 records/s x 1 KiB, acks=-1, linger 1 ms
# (after a 60,000-record warm-up on another topic), broker on core 0, producer on core 1.
# Prints the producer's latency percentiles and the episodes of slow records
# (bench/latency-episodes.ts). TARGET=mock runs the same load against librdkafka's mock
# broker (no disk: the load generator's own floor at this rate). Gregor runs from the tree
# at $1 (default: this repo) with the V8 flags of its bin/gregor.js plus $BENCH_NODE_ARGS
# (e.g. --trace-gc); LOG_LEVEL=info,listener=debug logs every request with its queue /
# local / send times (that logging itself adds to the tail). Needs bench/.build (npm run bench).
# Usage: bench/durable-tail.sh [repo-root]    Output files stay in $OUT (default: a temp dir).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-$here}
perf="$here/bench/.build/rdkafka_performance"
node="$here/node_modules/.bin/node"
out=${OUT:-$(mktemp -d)}
records=${RECORDS:-210000}
# rdkafka_performance's -r sleeps 1/r per message and lands ~5 % below it
rate=${RATE:-21500}
produce() { # topic records [latency file]
  local extra=(); [ $# -ge 3 ] && extra=(-l -A "$3")
  taskset -c 1 "$perf" -P -q -t "$1" -b "$bootstrap" -s 1024 -c "$2" -a -1 -X linger.ms=1 -X batch.size=1048576 -r "$rate" "${extra[@]}" 2>&1 | grep -E 'delivered' | tail -1
}
if [ "${TARGET:-gregor}" = mock ]; then
  coproc MOCK { exec taskset -c 0 "$here/bench/.build/mock-broker" 1; }
  trap 'kill "$MOCK_PID" 2>/dev/null || true' EXIT
  read -r _ bootstrap <&"${MOCK[0]}"
  for t in warm measured; do echo "topic $t 16" >&"${MOCK[1]}"; read -r _ <&"${MOCK[0]}"; done
else
  data=$(mktemp -d)
  port=$((20000 + RANDOM % 20000))
  flags=$(sed -n '1s/^#!.*env -S node//p' "$root/bin/gregor.js")
  # shellcheck disable=SC2086 # flag lists are word-split on purpose
  (cd "$root" && exec taskset -c 0 "$node" $flags ${BENCH_NODE_ARGS:-} src/cli/main.ts start --log-level "${LOG_LEVEL:-info}" \
    --set "log.dirs=$data/logs" --set "listeners=PLAINTEXT://127.0.0.1:$port" --set http.listener=) >"$out/broker.log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
  bootstrap="127.0.0.1:$port"
  for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
  /usr/bin/python3 -c 'import sys; from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({"bootstrap.servers": sys.argv[1]})
for t in ["warm", "measured"]: a.create_topics([NewTopic(t, 16, 1, config={"flush.messages": "1"})])[t].result(15)' "$bootstrap"
fi
produce warm 60000 >/dev/null
produce measured "$records" "$out/latency"
"$node" "$here/bench/latency-episodes.ts" "$out/latency" 20480 8
echo "files: $out"
