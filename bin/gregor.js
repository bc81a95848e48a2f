#!/usr/bin/env -S node --initial-old-space-size=128 --external-memory-accounted-in-global-limit
// The `gregor` command. The CLI is TypeScript run by Node's type stripping (Node >= 24);
// this shim only checks the runtime and hands over.
//
// V8 flags (the shebang line above; `npm start` runs this file, and the benches read the
// flags from that line, so it is their one source): --initial-old-space-size=128 starts
// V8's old-generation limit at 128 MB instead of sizing it from the broker's small live
// heap (~15-20 MB), which otherwise makes V8 start a mark-compact every few MB of
// promoted socket and request buffers. Measured with bench/produce-cpu.sh (1 GiB of 1 KiB
// records, docs/PERFORMANCE.md): mark-compacts 75-90 -> ~35 per GiB, broker CPU about
// -35 % per GiB (with 256; together with the flag below 128 measured the same CPU and
// 25-45 MiB less peak RSS). --max-semi-space-size=32/64 on top measured no further gain,
// so it is not set. --external-memory-accounted-in-global-limit: every socket read is a
// fresh ArrayBuffer (Node gives a server socket no reusable read buffer), and by default
// V8 starts a mark-compact whenever such external memory has grown 64 MB since the last
// one, however much of it is garbage already: every ~3 s at 20 MB/s of produce, each
// stalling the event loop 10-20 ms. With the flag external memory counts toward the heap's
// global limit instead (docs/PERFORMANCE.md, "Scenario 4's tail (session 4)"). It must be
// given at start-up: set later (v8.setFlagsFromString) the heap grew further (scenario 6
// peak RSS 903 MiB against 683 from the shebang). An older Node on PATH rejects it ("bad
// option") before the version check below can explain. The flags are set in the shebang
// (env -S) rather than by re-executing Node for `start`: a re-exec would put a second
// process between a supervisor's signals (or a test's kill -9) and the broker. They only
// move heap-growth heuristics, so the short-lived client subcommands are unaffected.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`gregor needs Node.js 24 or newer (this is ${process.version}); run it with npx gregor or npm start`);
  process.exit(1);
}
await import('../src/cli/main.ts');
