#!/bin/sh
# Enables Debian source packages (deb-src) so the benchmark can build librdkafka's
# rdkafka_performance from `apt-get source librdkafka`: copies the machine's own
# deb822 entries as deb-src entries. Idempotent; needs root.
set -eu
SRC=/etc/apt/sources.list.d/debian.sources
OUT=/etc/apt/sources.list.d/debian-src.sources
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  sed 's/^Types: deb$/Types: deb-src/' "$SRC" > "$OUT"
fi
apt-get update -qq
