#!/bin/bash
# Runs @platformatic/kafka's own test suite (test/ and regression/integrity/, node:test)
# against Gregor brokers this script starts on the ports its docker-compose cluster uses,
# and prints one line per test file (pass/fail counts) and one line per failing test.
# Which tests apply to PLAINTEXT Gregor brokers, and why the others do not:
# tools/platformatic-tests/not-applicable.txt and docs/COMPATIBILITY.md.
#
# Usage: tools/run-platformatic-tests.sh [TEST_FILE...]   (default: every applicable file;
#                                     paths inside its tree, e.g. test/clients/admin/admin.test.ts)
#        tools/run-platformatic-tests.sh --summary         (the last run's results again)
#
# Environment:
#   PLT_GIT      git directory of platformatic/kafka (default: the `fetch` mirror,
#                /work/.mirror/platformatic+kafka/repo)
#   PLT_COMMIT   commit whose test/ and src/ are run (default below)
#   WORK_DIR     extracted tree, npm packages, broker data and logs
#                (default /tmp/gregor-platformatic-tests)
#   JOBS         test files run in parallel (default 2)
#   GREGOR_DIR   Gregor tree the brokers run from (default: this repository; e.g. a
#                `git archive` of a commit, with node_modules linked, to test that commit)
#   ALL=1        also run the tests listed as not applicable
#
# The suite imports the library from its own src/ (TypeScript), so the library version is
# that of PLT_COMMIT, not the npm package in node_modules (see docs/COMPATIBILITY.md).
# Exit status: 0 when no applicable test failed.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
HERE="$REPO/tools/platformatic-tests"
PLT_GIT=${PLT_GIT:-/work/.mirror/platformatic+kafka/repo}
# main of 2026-08-21 ("feat: preserve duplicate headers on consumed messages (#372)"), the
# newest commit of the mirror; package.json there says 2.9.0, it holds 2.10's changes.
PLT_COMMIT=${PLT_COMMIT:-f84b496dd6247411366791b74cd871bf6a3b944e}
WORK_DIR=${WORK_DIR:-/tmp/gregor-platformatic-tests}
JOBS=${JOBS:-2}
FILE_TIMEOUT_S=900
GREGOR_DIR=${GREGOR_DIR:-$REPO}
NODE="$REPO/node_modules/.bin/node"
TREE="$WORK_DIR/kafka"

log() { echo "[run-platformatic-tests] $*" >&2; }
. "$REPO/tools/lib/await-broker.sh"

# The tree at PLT_COMMIT, patched (tools/platformatic-tests/patch-tree.sh), with its runtime
# dependencies and the two dev dependencies its tests import, installed by npm into the copy.
prepare_tree() {
  local stamp="$TREE/.gregor-commit"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$PLT_COMMIT" ]; then return; fi
  log "extracting platformatic/kafka $PLT_COMMIT into $TREE"
  rm -rf "$TREE" && mkdir -p "$TREE"
  git --git-dir="$PLT_GIT" archive "$PLT_COMMIT" | tar -x -C "$TREE"
  NODE="$NODE" "$HERE/patch-tree.sh" "$TREE"
  log "npm install into $TREE"
  (cd "$TREE" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
  echo "$PLT_COMMIT" >"$stamp"
}

BROKER_PIDS=()
# Stops the brokers and waits until they have exited (graceful shutdown on SIGTERM).
stop_brokers() {
  for pid in "${BROKER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BROKER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_brokers EXIT

# start_broker PORT: one Gregor broker configured as the suite's docker-compose brokers
# (tools/platformatic-tests/broker.properties), advertised as localhost:PORT.
start_broker() {
  local port=$1
  rm -rf "$WORK_DIR/data-$port"
  (cd "$GREGOR_DIR" && exec "$NODE" src/cli/main.ts start --log-level warn --config "$HERE/broker.properties" \
    --set "log.dirs=$WORK_DIR/data-$port" --set "listeners=PLAINTEXT://127.0.0.1:$port" \
    --set "advertised.listeners=PLAINTEXT://localhost:$port" >"$WORK_DIR/broker-$port.log" 2>&1) &
  BROKER_PIDS+=($!)
  await_broker "$port" "$WORK_DIR/broker-$port.log"
}

# --test-skip-pattern arguments for the single tests (not whole files) not-applicable.txt lists.
skip_args() {
  [ "${ALL:-0}" = 1 ] && return
  sed -n 's/^NA *| *[^|]*| *\([^|]*[^ |]\) *|.*/\1/p' "$HERE/not-applicable.txt" | grep -vx '\*' | while read -r name; do
    printf -- '--test-skip-pattern=^%s$\n' "$(sed 's/[][\\.^$*+?(){}|]/\\&/g' <<<"$name")"
  done
}

# run_one FILE: one node --test process for one test file; logs/ gets its TAP (counted by
# summarize) and its spec report (which shows nested errors in full). KAFKA_VERSION names
# the Confluent Platform release of the suite's docker images: 8.0.0 is Apache Kafka 4.0.
run_one() {
  local file=$1 out
  out="$WORK_DIR/logs/$(tr / _ <<<"$file")"
  mapfile -t skips < <(skip_args)
  (cd "$TREE" && KAFKA_VERSION=8.0.0 timeout "$FILE_TIMEOUT_S" "$NODE" --test --test-concurrency=1 \
    --test-reporter=tap --test-reporter-destination=stdout \
    --test-reporter=spec --test-reporter-destination="$out.spec" \
    "${skips[@]}" "$file") >"$out.tap" 2>&1 || true
}

# Files the run covers: the suite's test files (`npm test`: test/; `npm run test:integrity`:
# regression/integrity/), minus whole files or folders listed as not applicable or not
# relevant (codec/unit tests) in not-applicable.txt.
# An excluded entry ending in / excludes a whole folder.
default_files() {
  local excluded
  excluded=$(sed -n 's/^\(NA\|NR\) *| *\([^ |]*\) *| *\* *|.*/\2/p' "$HERE/not-applicable.txt")
  (cd "$TREE" && find test regression/integrity -name '*.test.ts' | sort) \
    | awk -v ex="$excluded" 'BEGIN { n = split(ex, e, "\n") }
        { for (i = 1; i <= n; i++) if ($0 == e[i] || (e[i] ~ /\/$/ && index($0, e[i]) == 1)) next; print }'
}

# One line per file (pass/fail counts from the TAP summary; the not-applicable tests are
# filtered out before they run, so they are in neither count) and one per failing test.
summarize() {
  local f name failed=0
  for f in "$WORK_DIR"/logs/*.tap; do
    name=$(basename "$f" .tap)
    local pass fail
    pass=$(sed -n 's/^# pass //p' "$f"); fail=$(sed -n 's/^# fail //p' "$f")
    if [ -z "$pass" ]; then echo "CRASHED  $name (timed out or crashed: $f)"; failed=1; continue; fi
    printf '%-8s %-70s pass %3s fail %3s\n' "$([ "$fail" = 0 ] && echo OK || echo FAILED)" "$name" "$pass" "$fail"
    grep -E '^( {4})?not ok [0-9]+ - ' "$f" | sed 's/^ *not ok [0-9]* - /           not ok: /' || true
    [ "$fail" = 0 ] || failed=1
  done
  return $failed
}

main() {
  mkdir -p "$WORK_DIR/logs"
  prepare_tree
  local files
  if [ $# -gt 0 ]; then files=$(printf '%s\n' "$@"); else files=$(default_files); fi
  rm -f "$WORK_DIR"/logs/*.tap "$WORK_DIR"/logs/*.spec
  start_broker 9011   # the suite's 3-broker cluster (localhost:9011..9013), one broker here
  start_broker 9001   # the suite's single broker (localhost:9001)
  log "$(wc -l <<<"$files") test file(s), $JOBS at a time"
  xargs -P"$JOBS" -I{} "$0" --one {} <<<"$files"
  summarize
}

case "${1:-}" in
  --one) shift; run_one "$@" ;;
  --summary) summarize ;;
  *) main "$@" ;;
esac
