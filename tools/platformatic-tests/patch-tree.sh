#!/bin/bash
# Edits the private copy of platformatic/kafka that tools/run-platformatic-tests.sh runs
# (never the repository's own files). Usage: patch-tree.sh TREE
#  - package.json: only the runtime dependencies and the dev dependencies the broker tests
#    import (@watchable/unpromise, prom-client); the others (Kerberos, rdkafka builds, lint,
#    coverage) are for tests and tooling that do not apply here, and need native builds.
set -euo pipefail
TREE=$1
HERE=$(cd "$(dirname "$0")" && pwd)
NODE=${NODE:-"$HERE/../../node_modules/.bin/node"}

"$NODE" -e '
const fs = require("fs");
const file = process.argv[1] + "/package.json";
const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
const keep = ["@watchable/unpromise", "prom-client"];
pkg.devDependencies = Object.fromEntries(Object.entries(pkg.devDependencies).filter(([name]) => keep.includes(name)));
delete pkg.scripts;
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
' "$TREE"
