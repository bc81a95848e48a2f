#!/bin/bash
# Runs kafkajs 2.2.4's own test suite (its jest spec files, integration tests included)
# against a Gregor broker this script starts, and prints one line per test: PASSED, FAILED,
# N/A (a failure of a test listed in tools/kafkajs-tests/not-applicable.tsv, with the
# reason) or SKIPPED (skipped by the suite itself). Results and reasons: docs/COMPATIBILITY.md.
#
# Usage: tools/run-kafkajs-tests.sh [JEST_PATH_PATTERN...]   (default: every spec file)
#        tools/run-kafkajs-tests.sh --summary                (the last run's verdicts again)
#
# Environment:
#   KAFKAJS_GIT  a git directory holding kafkajs's history (default: the mirror the `fetch`
#                tool makes of github:tulios/kafkajs, /work/.mirror/tulios+kafkajs/repo; or
#                any clone: KAFKAJS_GIT=/path/to/kafkajs/.git)
#   KAFKAJS_REF  the tag to test (default v2.2.4, the kafkajs in node_modules)
#   WORK_DIR     source copy, test dependencies, broker data and logs
#                (default /tmp/gregor-kafkajs-tests)
#   PORT         the broker's port (default 39292)
#
# kafkajs's suite expects three docker brokers (localhost:9092/9095/9098, node ids 0-2) with
# PLAINTEXT, SSL and SASL_SSL listeners. The private copy is edited so the suite talks to one
# PLAINTEXT Gregor broker (node id 0, as kafkajs's first broker) instead; every edit is in
# patch_tree below and listed in docs/COMPATIBILITY.md. The test dependencies (jest 25 ...,
# tools/kafkajs-tests/dev-dependencies.json) are installed with npm into WORK_DIR.
# Needs: git, npm (registry access on the first run). Exit status: 0 when no applicable
# test failed.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
HERE="$REPO/tools/kafkajs-tests"
KAFKAJS_GIT=${KAFKAJS_GIT:-/work/.mirror/tulios+kafkajs/repo}
KAFKAJS_REF=${KAFKAJS_REF:-v2.2.4}
WORK_DIR=${WORK_DIR:-/tmp/gregor-kafkajs-tests}
PORT=${PORT:-39292}
NODE="$REPO/node_modules/.bin/node"
TREE="$WORK_DIR/kafkajs"
RESULTS="$WORK_DIR/results.json"

log() { echo "[run-kafkajs-tests] $*" >&2; }
. "$REPO/tools/lib/await-broker.sh"

# The edits that point a suite written for three docker brokers at one Gregor broker.
patch_tree() {
  # One PLAINTEXT broker at localhost:$GREGOR_PORT instead of localhost:9092/9095/9098.
  sed -i \
    -e 's/^const plainTextBrokers = .*/const plainTextBrokers = (host = getHost()) => [`${host}:${process.env.GREGOR_PORT}`]/' \
    -e 's/^  port: 9092,/  port: Number(process.env.GREGOR_PORT),/' \
    -e 's/brokers: \[`${getHost()}:9092`\]/brokers: [`${getHost()}:${process.env.GREGOR_PORT}`]/' \
    "$TREE/testHelpers/index.js"
  # No JUnit XML reporter (jest-junit is a CI nicety).
  sed -i "s/reporters: \['default', 'jest-junit'\],/reporters: ['default'],/" "$TREE/jest.config.js"
  # addPartitions() runs kafka-topics in the docker container: use CreatePartitions instead.
  cp "$HERE/add-partitions.js" "$TREE/gregor-add-partitions.js"
  printf '#!/bin/sh\nexec node "$(dirname "$0")/../gregor-add-partitions.js"\n' >"$TREE/scripts/addPartitions.sh"
  # Node ids 0, 1, 2 of the three docker brokers: Gregor's one broker is node 0.
  sed -i 's/for (const nodeId of \[0, 1, 2\])/for (const nodeId of [0])/' \
    "$TREE/src/producer/__tests__/idempotentProduceMessages.spec.js"
  sed -i 's/brokers\[1\]\.nodeId\.toString()/brokers[0].nodeId.toString()/' \
    "$TREE/src/admin/__tests__/describeConfigs.spec.js" "$TREE/src/admin/__tests__/alterConfigs.spec.js"
  # These JoinGroup calls send no rebalanceTimeout (encoded as 0). Since Kafka 2.8.1
  # (KAFKA-12890) a member must send SyncGroup within the rebalance timeout, so with 0 the
  # member is dropped unless its SyncGroup wins a 1 ms race; give them the session timeout.
  sed -i -E 's/^( *)sessionTimeout: ([0-9]+),$/\1sessionTimeout: \2,\n\1rebalanceTimeout: \2,/' \
    "$TREE/src/broker/__tests__/offsetCommit.spec.js" "$TREE/src/broker/__tests__/offsetFetch.spec.js" \
    "$TREE/src/broker/__tests__/heartbeat.spec.js" "$TREE/src/consumer/__tests__/errorRecovery.spec.js"
}

prepare_tree() {
  if [ -f "$TREE/.gregor-patched" ]; then return; fi
  [ -d "$KAFKAJS_GIT" ] || { log "no kafkajs git directory at $KAFKAJS_GIT (set KAFKAJS_GIT)"; exit 1; }
  log "extracting kafkajs $KAFKAJS_REF from $KAFKAJS_GIT to $TREE"
  rm -rf "$TREE" && mkdir -p "$TREE"
  git --git-dir="$KAFKAJS_GIT" archive "$KAFKAJS_REF" | tar x -C "$TREE"
  patch_tree
  touch "$TREE/.gregor-patched"
}

prepare_deps() {
  local deps="$WORK_DIR/deps"
  if ! cmp -s "$HERE/dev-dependencies.json" "$deps/package.json" || [ ! -x "$deps/node_modules/.bin/jest" ]; then
    log "installing the suite's test dependencies into $deps"
    mkdir -p "$deps" && cp "$HERE/dev-dependencies.json" "$deps/package.json"
    (cd "$deps" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
  fi
  ln -sfn "$deps/node_modules" "$TREE/node_modules"
}

BROKER_PID=
stop_broker() { if [ -n "$BROKER_PID" ]; then kill "$BROKER_PID" 2>/dev/null || true; wait "$BROKER_PID" 2>/dev/null || true; fi; }
trap stop_broker EXIT

# As kafkajs's docker-compose: 2 partitions per auto-created topic, no initial rebalance
# delay; node id 0 as its first broker. No HTTP listener.
start_broker() {
  rm -rf "$WORK_DIR/data"
  (cd "$REPO" && exec "$NODE" src/cli/main.ts start --log-level warn \
    --set node.id=0 --set "log.dirs=$WORK_DIR/data" \
    --set "listeners=PLAINTEXT://127.0.0.1:$PORT" --set "advertised.listeners=PLAINTEXT://localhost:$PORT" \
    --set http.listener= --set num.partitions=2 --set group.initial.rebalance.delay.ms=0 \
    >"$WORK_DIR/broker.log" 2>&1) &
  BROKER_PID=$!
  await_broker "$PORT" "$WORK_DIR/broker.log"
}

summarize() {
  "$NODE" "$HERE/summarize.mjs" "$RESULTS" "$HERE/not-applicable.tsv"
}

main() {
  mkdir -p "$WORK_DIR"
  prepare_tree
  prepare_deps
  start_broker
  log "running jest in band (a full run takes about 13 minutes); log: $WORK_DIR/jest.log"
  rm -f "$RESULTS"
  # KAFKA_VERSION picks the suite's newest feature set (its docker default); the protocol
  # buffer debugging is what its CI turns on.
  # Jest runs on Gregor's Node too (PATH first: the addPartitions stand-in calls `node`).
  (cd "$TREE" && PATH="$(dirname "$NODE"):$PATH" GREGOR_PORT=$PORT KAFKA_VERSION=2.4 KAFKAJS_DEBUG_PROTOCOL_BUFFERS=1 \
    "$NODE" node_modules/.bin/jest --runInBand --forceExit --json --outputFile="$RESULTS" "$@") >"$WORK_DIR/jest.log" 2>&1 || true
  stop_broker
  BROKER_PID=
  [ -f "$RESULTS" ] || { tail -30 "$WORK_DIR/jest.log" >&2; exit 1; }
  summarize
}

case "${1:-}" in
  --summary) summarize ;;
  *) main "$@" ;;
esac
