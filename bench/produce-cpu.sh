#!/usr/bin/env bash
# CPU cost of Gregor's produce path, less sensitive to a busy machine than throughput:
# starts Gregor from the tree at $1 (default: this repo) on core 0, produces a fixed number
# of records with rdkafka_performance (built by `npm run bench`) on core 1, and prints the
# broker's CPU seconds (user+sys from /proc) per GiB produced, its GC counts (--trace-gc)
# and its peak RSS, then user / system CPU per GiB of each thread name (MainThread, V8Worker,
# libuv-worker: the file-system pool, ...). Node runs with the broker's V8 flags from the tree's bin/gregor.js
# shebang (none if the tree has none) plus $BENCH_NODE_ARGS; BENCH_BROKER_FLAGS=0 leaves
# the shebang's flags out (A/B of the flags themselves).
# With ACKS=-1 and FLUSH_MESSAGES=1 it measures durable produce instead: the topic is
# created with flush.messages=1 and the producer waits for acks=all.
# BATCH_BYTES (default 1048576) and LINGER_MS (default 5) set the producer's batch.size and
# linger.ms for the measured run.
# PARTITIONS (default 16): partitions of the topic.
# PRODUCERS=n splits the records over n producer processes (n connections) running at once.
# SYSCALLS=1 also counts the broker's file-write and fsync system calls during the run
# (perf tracepoints; needs root or perf_event_paranoid <= -1).
# Usage: bench/produce-cpu.sh [repo-root] [record-size] [records]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-$here}
size=${2:-1024}
count=${3:-2000000}
perf="$here/bench/.build/rdkafka_performance"
node="$here/node_modules/.bin/node"
data=$(mktemp -d)
log="$data/broker.log"
port=$((20000 + RANDOM % 20000))
acks=${ACKS:-1}
flush_messages=${FLUSH_MESSAGES:-}
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; cp "$log" /tmp/last-broker.log; rm -rf "$data"' EXIT
cd "$root"
broker_flags=""
if [ "${BENCH_BROKER_FLAGS:-1}" != 0 ] && [ -f bin/gregor.js ]; then
  broker_flags=$(sed -n '1s/^#!.*env -S node//p' bin/gregor.js)
fi
# shellcheck disable=SC2086 # flag lists are word-split on purpose
taskset -c 0 "$node" --trace-gc $broker_flags ${BENCH_NODE_ARGS:-} src/cli/main.ts start --set "log.dirs=$data/logs" \
  --set "listeners=PLAINTEXT://127.0.0.1:$port" --set "num.partitions=${PARTITIONS:-16}" >"$log" 2>&1 &
pid=$!
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# user and system ticks per thread name (main thread "node" or "MainThread", "V8Worker", "libuv-worker", ...)
threads() { for t in /proc/"$pid"/task/*; do printf '%s\t%s\n' "$(cat "$t/comm")" "$(cut -d' ' -f14,15 "$t/stat" 2>/dev/null)"; done; }
if [ -n "$flush_messages" ]; then
  # the topic must exist with its flush.messages before the first record
  /usr/bin/python3 -c 'import sys; from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({"bootstrap.servers": sys.argv[1]})
a.create_topics([NewTopic("cpu", int(sys.argv[3]), 1, config={"flush.messages": sys.argv[2]})])["cpu"].result(15)' \
    "127.0.0.1:$port" "$flush_messages" "${PARTITIONS:-16}"
fi
# a first small run creates the topic and warms the broker up
taskset -c 1 "$perf" -P -q -t cpu -b "127.0.0.1:$port" -s "$size" -c 20000 -a "$acks" -X linger.ms=5 -X batch.size=1048576 >/dev/null 2>&1
before=$(cpu); threads_before=$(threads); gcs_before=$(grep -c -E 'Mark-Compact|Scavenge' "$log" || true); mc_before=$(grep -c Mark-Compact "$log" || true)
syscalls="syscalls:sys_enter_pwrite64,syscalls:sys_enter_pwritev,syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync"
if [ "${SYSCALLS:-0}" = 1 ]; then
  perf stat -x, -e "$syscalls" -p "$pid" -o "$data/perf.txt" & perf_pid=$!
fi
start_ns=$(date +%s%N)
producer_pids=()
for _ in $(seq "${PRODUCERS:-1}"); do
  taskset -c 1 "$perf" -P -q -t cpu -b "127.0.0.1:$port" -s "$size" -c $((count / ${PRODUCERS:-1})) -a "$acks" -X "linger.ms=${LINGER_MS:-5}" \
    -X "batch.size=${BATCH_BYTES:-1048576}" -X queue.buffering.max.kbytes=32768 >/dev/null 2>&1 &
  producer_pids+=($!)
done
for producer in "${producer_pids[@]}"; do wait "$producer" || echo "a producer exited with status $?" >&2; done
end_ns=$(date +%s%N)
if [ "${SYSCALLS:-0}" = 1 ]; then
  kill -INT "$perf_pid" 2>/dev/null || echo "perf stat ended early (see $data/perf.txt)" >&2
  wait "$perf_pid" || true
  awk -F, '/syscalls:sys_enter_/ { sub("syscalls:sys_enter_", "", $3); printf "%s %s  ", $3, $1 } END { print "" }' "$data/perf.txt"
fi
kill -0 "$pid" 2>/dev/null || { echo "the broker died; its log: /tmp/last-broker.log" >&2; exit 1; }
after=$(cpu); threads_after=$(threads); gcs=$(( $(grep -c -E 'Mark-Compact|Scavenge' "$log" || true) - gcs_before )); mc=$(( $(grep -c Mark-Compact "$log" || true) - mc_before ))
rss_kib=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
ticks=$(getconf CLK_TCK)
awk -v t=$((after - before)) -v hz="$ticks" -v n="$count" -v s="$size" -v g="$gcs" -v m="$mc" -v r="$rss_kib" -v w=$((end_ns - start_ns)) 'BEGIN {
  gib = n * s / 2^30; printf "%d x %d B: broker CPU %.2f s = %.2f s/GiB; GCs %d (mark-compact %d) = %.0f per GiB; peak RSS %d MiB; %.0f MiB/s\n", n, s, t / hz, t / hz / gib, g, m, g / gib, r / 1024, n * s / 2^20 / (w / 1e9) }'
# per thread name, user / system CPU s/GiB (threads present at both readings)
awk -F'\t' -v hz="$ticks" -v gib="$(awk -v n="$count" -v s="$size" 'BEGIN { print n * s / 2^30 }')" '
  NR == FNR { split($2, b, " "); bu[$1] += b[1]; bs[$1] += b[2]; next }
  { split($2, a, " "); au[$1] += a[1]; as[$1] += a[2] }
  END { for (k in au) printf "  %s user %.2f sys %.2f s/GiB\n", k, (au[k] - bu[k]) / hz / gib, (as[k] - bs[k]) / hz / gib }' \
  <(printf '%s\n' "$threads_before") <(printf '%s\n' "$threads_after") | sort
