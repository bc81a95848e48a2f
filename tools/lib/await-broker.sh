# Sourced by tools/run-*-tests.sh after they define log().
# await_broker PORT LOG_FILE: returns once 127.0.0.1:PORT accepts a TCP connection; after
# 20 s says where the broker's log is and exits 1.
await_broker() {
  local port=$1 log_file=$2
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return; fi
    sleep 0.2
  done
  log "the broker on port $port did not come up: $log_file"
  exit 1
}
