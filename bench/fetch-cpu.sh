#!/usr/bin/env bash
# CPU cost of Gregor's fetch path (scenario 5's drain), less sensitive to a busy machine than
# throughput: starts Gregor from the tree at $1 (default: this repo) on core 0, builds a
# backlog of $2 MiB (default 1024) of 1 KiB records on 16 partitions with rdkafka_performance
# (core 1), then drains it with one rdkafka_performance consumer (core 1, nice 10, all
# partitions from the beginning) and prints the broker's CPU seconds (user+sys from /proc) per
# GiB moved during the drain, split by thread name, its GC counts (--trace-gc), the consumer's
# MiB/s and, with PRODUCER=1 (default), the p50/p99/max latency of bench/.build/multi-producer
# writing 10,000 records/s x 1 KiB (acks=1, linger 1 ms) alone for ALONE_SECONDS (default 5)
# and then during the drain, as scenario 5 does (during the drain also the largest latency of
# each tenth of its records, to see where it builds up). METRICS=1 adds the Produce requests'
# average queue / local / send time over the drain, from the broker's admin /metrics.
# Binaries come from `npm run bench`.
# Node runs with the broker's V8 flags from the tree's bin/gregor.js shebang plus
# $BENCH_NODE_ARGS. PERF_RECORD=<file> records `perf record -g` of the broker during the drain.
# Usage: bench/fetch-cpu.sh [repo-root] [backlog-MiB]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-$here}
backlog_mib=${2:-1024}
records=$((backlog_mib * 1024))
perf="$here/bench/.build/rdkafka_performance"
mp="$here/bench/.build/multi-producer"
node="$here/node_modules/.bin/node"
data=$(mktemp -d)
log="$data/broker.log"
port=$((20000 + RANDOM % 20000))
producer_pid=""
trap '[ -n "$producer_pid" ] && kill "$producer_pid" 2>/dev/null; kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; cp "$log" /tmp/last-fetch-broker.log; rm -rf "$data"' EXIT
cd "$root"
broker_flags=$(sed -n '1s/^#!.*env -S node//p' bin/gregor.js 2>/dev/null || true)
# shellcheck disable=SC2086 # flag lists are word-split on purpose
taskset -c 0 "$node" --trace-gc $broker_flags ${BENCH_NODE_ARGS:-} src/cli/main.ts start --set "log.dirs=$data/logs" \
  --set "listeners=PLAINTEXT://127.0.0.1:$port" --set "num.partitions=16" --set "http.listener=127.0.0.1:$((port + 1))" >"$log" 2>&1 &
pid=$!
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
threads() { for t in /proc/"$pid"/task/*; do printf '%s\t%s\t%s\n' "${t##*/}" "$(cat "$t/comm")" "$(cut -d' ' -f14,15 "$t/stat" 2>/dev/null)"; done; }
metrics() { curl -s "127.0.0.1:$((port + 1))/metrics" | grep -E 'requestmetrics_.*(_sum|_count).*(Produce|Fetch)' || true; }
gcs() { grep -c -E "$1" "$log" || true; }
taskset -c 1 "$perf" -P -q -t cpu -b "127.0.0.1:$port" -s 1024 -c "$records" -a 1 -X linger.ms=5 -X batch.size=1048576 \
  -X queue.buffering.max.kbytes=32768 >/dev/null 2>&1
echo "backlog: $backlog_mib MiB"
p99() { sort -n "$1" | awk '{v[NR]=$1} END {if (NR == 0) {print "no samples"; exit} printf "p50 %.1f / p99 %.1f / max %.1f ms (%d records)\n", v[int(NR*0.5)+1]/1000, v[int(NR*0.99)+1]/1000, v[NR]/1000, NR}'; }
if [ "${PRODUCER:-1}" = 1 ]; then
  alone_metrics=$(metrics); alone_cpu=$(cpu); alone_ns=$(date +%s%N)
  taskset -c 1 "$mp" -b "127.0.0.1:$port" -t cpu -P 16 -n 1 -r 10000 -s 1024 -a 1 -l 1 -w 1 -d "${ALONE_SECONDS:-5}" -A "$data/alone.lat" >/dev/null 2>&1
  alone_requests=$(printf '%s\n%s\n' "$alone_metrics" "$(metrics)" | awk '/totaltimems_count\{request="Produce"\}/ { if (n++) print $2 - v; else v = $2 }')
  echo "producer alone: $(p99 "$data/alone.lat"); broker core $(awk -v c="$(( $(cpu) - alone_cpu ))" -v t="$(getconf CLK_TCK)" -v ns="$(( $(date +%s%N) - alone_ns ))" 'BEGIN { printf "%.0f", c / t * 1e11 / ns }') % busy, ${alone_requests:-?} Produce requests"
  taskset -c 1 "$mp" -b "127.0.0.1:$port" -t cpu -P 16 -n 1 -r 10000 -s 1024 -a 1 -l 1 -w 1 -d 0 -A "$data/during.lat" >"$data/mp.out" 2>&1 &
  producer_pid=$!
  for _ in $(seq 100); do grep -q measuring "$data/mp.out" && break; sleep 0.1; done
fi
metrics_before=$(metrics); before=$(cpu); threads_before=$(threads); gc_before=$(gcs 'Mark-Compact|Scavenge'); mc_before=$(gcs Mark-Compact)
if [ -n "${PERF_RECORD:-}" ]; then perf record -g -o "$PERF_RECORD" -p "$pid" >/dev/null 2>&1 & perf_pid=$!; fi
start_ns=$(date +%s%N)
out=$(taskset -c 1 nice -n 10 "$perf" -C -q -t cpu -b "127.0.0.1:$port" -o beginning -c "$records" \
  $(for p in $(seq 0 15); do printf -- '-p %s ' "$p"; done) -X fetch.wait.max.ms=500 2>&1)
end_ns=$(date +%s%N)
if [ -n "${PERF_RECORD:-}" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
after=$(cpu); threads_after=$(threads)
produced=0
if [ -n "$producer_pid" ]; then
  kill -INT "$producer_pid"; wait "$producer_pid" || true; producer_pid=""
  produced=$(tail -1 "$data/mp.out" | sed -n 's/.*"bytes":\([0-9]*\).*/\1/p'); produced=${produced:-0}
  echo "producer during the drain: $(p99 "$data/during.lat")"
  # the same by tenths of the drain (records in send order): where the latency builds up
  echo "  max by tenth: $(awk '{v[NR]=$1} END {for (i = 0; i < 10; i++) {m = 0; for (j = int(NR*i/10)+1; j <= int(NR*(i+1)/10); j++) if (v[j] > m) m = v[j]; printf "%.0f ", m/1000}; print "ms"}' "$data/during.lat")"
fi
consumed=$(echo "$out" | sed -n 's/.*messages (\([0-9]*\) bytes) consumed in \([0-9]*\)ms.*/\1 \2/p')
read -r cbytes cms <<<"$consumed"
tck=$(getconf CLK_TCK)
wall=$(( (end_ns - start_ns) / 1000000 ))
awk -v b="$before" -v a="$after" -v cb="$cbytes" -v pb="$produced" -v cms="$cms" -v wall="$wall" -v t="$tck" \
  'BEGIN { gib = (cb + pb) / 1073741824; s = (a - b) / t;
    printf "consumer %.1f MiB/s; broker CPU %.2f s for %.3f GiB moved = %.2f s/GiB, core %.0f %% busy\n", cb / 1048576 / (cms / 1000), s, gib, s / gib, s * 100000 / wall }'
if [ "${METRICS:-0}" = 1 ]; then
  echo "request times during the drain (ms per request: queue / local / send / total; count):"
  printf '%s\n%s\n' "$metrics_before" "$(metrics)" | awk '{ k = $1; if (k in seen) d[k] = $2 - seen[k]; else seen[k] = $2 }
    END { split("Produce Fetch", apis, " "); for (i in apis) { a = apis[i]; c = d["kafka_network_requestmetrics_totaltimems_count{request=\"" a "\"}"]; if (c == 0) continue;
      printf "  %-8s %.2f / %.2f / %.2f / %.2f; %d\n", a, d["kafka_network_requestmetrics_requestqueuetimems_sum{request=\"" a "\"}"] / c,
        d["kafka_network_requestmetrics_localtimems_sum{request=\"" a "\"}"] / c, d["kafka_network_requestmetrics_responsesendtimems_sum{request=\"" a "\"}"] / c,
        d["kafka_network_requestmetrics_totaltimems_sum{request=\"" a "\"}"] / c, c } }'
fi
echo "GCs during the drain: $(( $(gcs 'Mark-Compact|Scavenge') - gc_before )) ($(( $(gcs Mark-Compact) - mc_before )) mark-compacts)"
join -t $'\t' <(echo "$threads_before" | sort) <(echo "$threads_after" | sort) 2>/dev/null | awk -F'\t' -v t="$tck" -v cb="$cbytes" -v pb="$produced" '
  { split($3, b, " "); split($5, a, " "); n = $2; sub(/[0-9]+$/, "", n); u[n] += a[1] - b[1]; s[n] += a[2] - b[2] }
  END { gib = (cb + pb) / 1073741824; for (n in u) if (u[n] + s[n] > 0) printf "  %-16s user %.2f sys %.2f s/GiB\n", n, u[n] / t / gib, s[n] / t / gib }'
