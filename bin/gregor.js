#!/usr/bin/env node
// The `gregor` command. The CLI is TypeScript run by Node's type stripping (Node >= 24);
// this shim only checks the runtime and hands over.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`gregor needs Node.js 24 or newer (this is ${process.version}); run it with npx gregor or npm start`);
  process.exit(1);
}
await import('../src/cli/main.ts');
