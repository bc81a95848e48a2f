#!/bin/bash
# Runs the Python Kafka clients' own integration test suites against Gregor brokers this
# script starts, and prints one line per test: PASSED, FAILED (with its first error line),
# N/A (a failure of a test listed in tools/python-tests/not-applicable.tsv, with the reason)
# or SKIPPED (skipped by the suite itself). Results and reasons: docs/COMPATIBILITY.md.
#
#   confluent-kafka-python 1.7.0 (Debian python3-confluent-kafka, librdkafka 2.0.2):
#     tests/integration (pytest; its kafka_cluster fixture uses an existing cluster when
#     BROKERS is set) and tests/integration/integration_test.py (the older script, run as
#     its README says, one process per mode group).
#   kafka-python 2.0.2 (Debian python3-kafka): test/test_*integration*.py,
#     test_consumer_group.py and test_producer.py (pytest; its fixtures spawn a Java broker
#     and ZooKeeper, a small subclass makes them use the Gregor broker at KAFKA_URI).
#   kafka-python 3 (KP3_REF, default 3.0.11, the newest release; pure Python, so the
#     suite runs against the library of its own tree, not the Debian package):
#     test/integration without SASL/SSL (its fixtures take an external broker at KAFKA_URI;
#     KAFKA_VERSION=4.0.0, the newest its version checks know).
#
# Usage: tools/run-python-tests.sh [confluent] [kafka-python] [kafka-python-3]   (default: all)
#        tools/run-python-tests.sh --summary                    (the last run's verdicts)
#
# Environment:
#   CKP_GIT, CKP_REF  git directory and tag of confluent-kafka-python (default: the `fetch`
#                     tool's mirror /work/.mirror/confluentinc+confluent-kafka-python/repo,
#                     v1.7.0, the installed Debian package's version)
#   KP_GIT, KP_REF    the same for kafka-python (/work/.mirror/dpkp+kafka-python/repo, 2.0.2)
#   KP3_REF           the kafka-python 3 tag (default 3.0.11), from KP_GIT too
#   WORK_DIR          source copies, broker data, logs (default /tmp/gregor-python-tests)
#   PORT              the broker's port (default 39392)
# Needs: git, apt-get (installs the Debian packages below when missing), /usr/bin/python3.
# Exit status: 0 when no applicable test failed.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
HERE="$REPO/tools/python-tests"
CKP_GIT=${CKP_GIT:-/work/.mirror/confluentinc+confluent-kafka-python/repo}
CKP_REF=${CKP_REF:-v1.7.0}
KP_GIT=${KP_GIT:-/work/.mirror/dpkp+kafka-python/repo}
KP_REF=${KP_REF:-2.0.2}
KP3_REF=${KP3_REF:-3.0.11}
WORK_DIR=${WORK_DIR:-/tmp/gregor-python-tests}
PORT=${PORT:-39392}
NODE="$REPO/node_modules/.bin/node"
PYTHON=/usr/bin/python3
RESULTS="$WORK_DIR/results"
# The clients, the test runner and what the suites import: requests (confluent_kafka's
# schema_registry module, imported by the fixtures), mock and pytest-mock (kafka-python's
# tests), pytest-timeout (kafka-python 3's pytest options), and the codecs kafka-python's
# compression tests use.
DEBIAN_PACKAGES="python3-confluent-kafka python3-kafka python3-pytest python3-requests python3-mock
  python3-pytest-mock python3-pytest-timeout python3-lz4 python3-snappy python3-zstandard"

log() { echo "[run-python-tests] $*" >&2; }
. "$REPO/tools/lib/await-broker.sh"

install_packages() {
  local missing=()
  for p in $DEBIAN_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get install -y "${missing[@]}" >"$WORK_DIR/apt.log" 2>&1 || { tail -20 "$WORK_DIR/apt.log" >&2; exit 1; }
  fi
}

extract() { # git_dir ref dest paths...
  local git_dir=$1 ref=$2 dest=$3; shift 3
  [ -d "$git_dir" ] || { log "no git directory at $git_dir"; exit 1; }
  rm -rf "$dest" && mkdir -p "$dest"
  git --git-dir="$git_dir" archive "$ref" "$@" | tar x -C "$dest"
}

# confluent-kafka-python: the fixtures import trivup, which is not packaged for Debian and
# is not used when BROKERS is set: a stub module that refuses to start a cluster.
prepare_confluent() {
  local tree="$WORK_DIR/confluent-kafka-python"
  [ -f "$tree/.gregor-prepared" ] && return
  log "extracting confluent-kafka-python $CKP_REF tests from $CKP_GIT"
  extract "$CKP_GIT" "$CKP_REF" "$tree" tests
  mkdir -p "$tree/stubs/trivup/clusters"
  touch "$tree/stubs/trivup/__init__.py" "$tree/stubs/trivup/clusters/__init__.py"
  printf 'class KafkaCluster(object):\n    def __init__(self, **kwargs):\n        raise RuntimeError("no trivup: set BROKERS")\n' \
    >"$tree/stubs/trivup/clusters/KafkaCluster.py"
  printf '{"topic": "test", "bootstrap.servers": "127.0.0.1:%s"}\n' "$PORT" >"$tree/gregor-testconf.json"
  touch "$tree/.gregor-prepared"
}

# kafka-python: KafkaFixture.instance() with KAFKA_URI builds the fixture subclass of
# kafka_python_existing_broker.py (appended to fixtures.py) instead of a bare ExternalService.
prepare_kafka_python() {
  local tree="$WORK_DIR/kafka-python"
  [ -f "$tree/.gregor-prepared" ] && return
  log "extracting kafka-python $KP_REF tests from $KP_GIT"
  extract "$KP_GIT" "$KP_REF" "$tree" test
  "$PYTHON" - "$tree/test/fixtures.py" "$HERE/kafka_python_existing_broker.py" <<'EOF'
import sys
path, addition = sys.argv[1], sys.argv[2]
src = open(path).read()
old = '''            (host, port) = (parse.hostname, parse.port)
            fixture = ExternalService(host, port)
        else:
            if host is None:
                host = "localhost"'''
new = '''            (host, port) = (parse.hostname, parse.port)
            fixture = ExistingKafkaFixture(host, port, broker_id, zookeeper, zk_chroot,
                                           transport=transport, replicas=replicas,
                                           partitions=partitions, sasl_mechanism=sasl_mechanism,
                                           auto_create_topic=auto_create_topic, tmp_dir=tmp_dir)
            fixture.open()
        else:
            if host is None:
                host = "localhost"'''
assert src.count(old) == 1, 'KafkaFixture.instance changed upstream'
open(path, 'w').write(src.replace(old, new) + '\n\n' + open(addition).read())
EOF
  touch "$tree/.gregor-prepared"
}

# kafka-python 3: the whole tree (library, tests, pytest options in pyproject.toml). Its
# fixtures check that KAFKA_ROOT (the Java distribution) is a directory even for an
# external broker: an empty one.
prepare_kafka_python_3() {
  local tree="$WORK_DIR/kafka-python-3"
  [ -f "$tree/.gregor-prepared" ] && return
  log "extracting kafka-python $KP3_REF from $KP_GIT"
  extract "$KP_GIT" "$KP3_REF" "$tree"
  mkdir -p "$tree/no-java-kafka"
  touch "$tree/.gregor-prepared"
}

BROKER_PID=
stop_broker() {
  if [ -n "$BROKER_PID" ]; then kill "$BROKER_PID" 2>/dev/null || true; wait "$BROKER_PID" 2>/dev/null || true; fi
  BROKER_PID=
}
trap stop_broker EXIT

start_broker() { # name --set k=v ...
  local name=$1; shift
  rm -rf "$WORK_DIR/data-$name"
  (cd "$REPO" && exec "$NODE" src/cli/main.ts start --log-level warn \
    --set "log.dirs=$WORK_DIR/data-$name" --set http.listener= \
    --set "listeners=PLAINTEXT://127.0.0.1:$PORT" --set "advertised.listeners=PLAINTEXT://127.0.0.1:$PORT" \
    "$@" >"$WORK_DIR/broker-$name.log" 2>&1) &
  BROKER_PID=$!
  await_broker "$PORT" "$WORK_DIR/broker-$name.log"
}

# A broker with Kafka's defaults, as trivup starts them (group.initial.rebalance.delay.ms
# 3000 matters: test_cooperative_rebalance_1 expects no assignment within a 1 s poll after
# rejoining), and the client quota its docker cluster_up.sh sets for the throttle test.
run_confluent() {
  local tree="$WORK_DIR/confluent-kafka-python"
  prepare_confluent
  start_broker confluent --set node.id=1
  "$NODE" "$HERE/set-throttle-quota.ts" "127.0.0.1:$PORT"
  log "confluent-kafka-python: pytest tests/integration (about 2 minutes)"
  (cd "$tree" && BROKERS="127.0.0.1:$PORT" PYTHONPATH="$tree/stubs:$tree" timeout 1200 "$PYTHON" -m pytest \
    -p no:cacheprovider tests/integration --ignore=tests/integration/schema_registry \
    --ignore=tests/integration/integration_test.py --junitxml="$RESULTS/confluent.xml") \
    >"$WORK_DIR/confluent-pytest.log" 2>&1 || true
  log "confluent-kafka-python: integration_test.py (about 1 minute)"
  : >"$RESULTS/confluent-script.tsv"
  local modes
  for modes in "producer performance" "consumer performance" admin throttle; do
    local args=() m
    for m in $modes; do args+=("--$m"); done
    local out="$WORK_DIR/confluent-script-${modes%% *}.log" verdict=PASSED
    (cd "$tree" && timeout 900 "$PYTHON" tests/integration/integration_test.py "${args[@]}" gregor-testconf.json) \
      >"$out" 2>&1 || verdict=FAILED
    printf '%s\t%s\t%s\n' "${args[*]}" "$verdict" "$(grep -E '^[A-Za-z]*(Error|Exception)' "$out" | tail -1)" \
      >>"$RESULTS/confluent-script.tsv"
  done
  stop_broker
}

# A broker set up as kafka-python's servers/2.5.0/resources/kafka.properties: 4 partitions
# per auto-created topic (its fixture's default), 2 offsets partitions, short sessions.
run_kafka_python() {
  local tree="$WORK_DIR/kafka-python"
  prepare_kafka_python
  start_broker kafka-python --set node.id=0 --set num.partitions=4 --set offsets.topic.num.partitions=2 \
    --set group.min.session.timeout.ms=1000 --set offsets.commit.timeout.ms=500
  log "kafka-python: pytest (about 2 minutes)"
  (cd "$tree" && KAFKA_VERSION=2.5.0 KAFKA_URI="kafka://127.0.0.1:$PORT" ZOOKEEPER_URI=zk://127.0.0.1:2181 \
    timeout 1200 "$PYTHON" -m pytest -p no:cacheprovider test/test_admin_integration.py test/test_consumer_group.py \
    test/test_consumer_integration.py test/test_producer.py --junitxml="$RESULTS/kafka-python.xml") \
    >"$WORK_DIR/kafka-python-pytest.log" 2>&1 || true
  stop_broker
}

# A broker set up as kafka-python 3's servers/resources/default/kafka.properties.
run_kafka_python_3() {
  local tree="$WORK_DIR/kafka-python-3"
  prepare_kafka_python_3
  start_broker kafka-python-3 --set node.id=0 --set num.partitions=4 --set offsets.topic.num.partitions=2 \
    --set group.min.session.timeout.ms=1000 --set offsets.commit.timeout.ms=500 --set group.initial.rebalance.delay.ms=0
  log "kafka-python 3: pytest test/integration (under a minute)"
  (cd "$tree" && KAFKA_VERSION=4.0.0 KAFKA_URI="kafka://127.0.0.1:$PORT" KAFKA_ROOT="$tree/no-java-kafka" \
    timeout 1200 "$PYTHON" -m pytest -p no:cacheprovider -o log_level=WARNING test/integration \
    --ignore=test/integration/test_sasl_integration.py --ignore=test/integration/test_ssl_integration.py \
    --junitxml="$RESULTS/kafka-python-3.xml") >"$WORK_DIR/kafka-python-3-pytest.log" 2>&1 || true
  stop_broker
}

summarize() {
  "$PYTHON" "$HERE/summarize.py" "$RESULTS" "$HERE/not-applicable.tsv"
}

main() {
  local suites=("$@")
  [ ${#suites[@]} -gt 0 ] || suites=(confluent kafka-python kafka-python-3)
  mkdir -p "$WORK_DIR" "$RESULTS"
  install_packages
  local s
  for s in "${suites[@]}"; do
    case "$s" in
      confluent) rm -f "$RESULTS"/confluent-*; run_confluent ;;
      kafka-python) rm -f "$RESULTS"/kafka-python.xml; run_kafka_python ;;
      kafka-python-3) rm -f "$RESULTS"/kafka-python-3.xml; run_kafka_python_3 ;;
      *) log "unknown suite $s (confluent, kafka-python, kafka-python-3)"; exit 2 ;;
    esac
  done
  summarize
}

case "${1:-}" in
  --summary) summarize ;;
  *) main "$@" ;;
esac
