#!/usr/bin/env -S node --initial-old-space-size=256
// The `gregor` command. The CLI is TypeScript run by Node's type stripping (Node >= 24);
// this shim only checks the runtime and hands over.
//
// V8 flags (the shebang line above; `npm start` runs this file, and the benches read the
// flags from that line, so it is their one source for start-up flags; flags V8 takes at
// run time are set by `gregor start` itself, src/cli/v8-tuning.ts): --initial-old-space-size=256 starts
// V8's old-generation limit at 256 MB instead of sizing it from the broker's small live
// heap (~15-20 MB), which otherwise makes V8 start a mark-compact every few MB of
// promoted socket and request buffers. Measured with bench/produce-cpu.sh (1 GiB of 1 KiB
// records, docs/PERFORMANCE.md): mark-compacts 75-90 -> ~35 per GiB, broker CPU about
// -35 % per GiB. --max-semi-space-size=32/64 on top measured no further gain, so it is not
// set. The flags are set in the shebang (env -S) rather than by re-executing Node for
// `start`: a re-exec would put a second process between a supervisor's signals (or a
// test's kill -9) and the broker. They only move heap-growth heuristics, so the short-lived
// client subcommands are unaffected.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`gregor needs Node.js 24 or newer (this is ${process.version}); run it with npx gregor or npm start`);
  process.exit(1);
}
await import('../src/cli/main.ts');
