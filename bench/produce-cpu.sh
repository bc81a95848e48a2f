#!/usr/bin/env bash
# CPU cost of Gregor's produce path, less sensitive to a busy machine than throughput:
# starts Gregor from the tree at $1 (default: this repo) on core 0, produces a fixed number
# of records with rdkafka_performance (built by `npm run bench`) on core 1, and prints the
# broker's CPU seconds (user+sys from /proc) per GiB produced and its GC counts
# (--trace-gc). Usage: bench/produce-cpu.sh [repo-root] [record-size] [records]
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
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; cp "$log" /tmp/last-broker.log; rm -rf "$data"' EXIT
cd "$root"
taskset -c 0 "$node" --trace-gc ${BENCH_NODE_ARGS:-} src/cli/main.ts start --set "log.dirs=$data/logs" \
  --set "listeners=PLAINTEXT://127.0.0.1:$port" --set num.partitions=16 >"$log" 2>&1 &
pid=$!
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# a first small run creates the topic and warms the broker up
taskset -c 1 "$perf" -P -q -t cpu -b "127.0.0.1:$port" -s "$size" -c 20000 -a 1 -X linger.ms=5 -X batch.size=1048576 >/dev/null 2>&1
before=$(cpu); gcs_before=$(grep -c -E 'Mark-Compact|Scavenge' "$log" || true); mc_before=$(grep -c Mark-Compact "$log" || true)
taskset -c 1 "$perf" -P -q -t cpu -b "127.0.0.1:$port" -s "$size" -c "$count" -a 1 -X linger.ms=5 -X batch.size=1048576 \
  -X queue.buffering.max.kbytes=32768 >/dev/null 2>&1
after=$(cpu); gcs=$(( $(grep -c -E 'Mark-Compact|Scavenge' "$log" || true) - gcs_before )); mc=$(( $(grep -c Mark-Compact "$log" || true) - mc_before ))
ticks=$(getconf CLK_TCK)
awk -v t=$((after - before)) -v hz="$ticks" -v n="$count" -v s="$size" -v g="$gcs" -v m="$mc" 'BEGIN {
  gib = n * s / 2^30; printf "%d x %d B: broker CPU %.2f s = %.2f s/GiB; GCs %d (mark-compact %d) = %.0f per GiB\n", n, s, t / hz, t / hz / gib, g, m, g / gib }'
