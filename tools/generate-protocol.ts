// Generates src/protocol/generated/ from Kafka's JSON message schemas.
//
//   npm run generate            (reads ../shared/kafka-protocol/{messages,records})
//   node tools/generate-protocol.ts [schemaRoot] [outDir]
//
// Output: one file per API (request + response), data/ for the other data schemas in
// messages/ (consumer protocol, raft records), records/ for records/*.json, runtime.ts
// (Input<T> and shared values) and api-table.ts. generateProtocol() returns the files
// in memory so a test can compare them with what is committed. Header schemas are not
// generated: src/protocol/headers.ts hand-codes the request/response headers.

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MessageSpec } from './protocol-gen/schema.ts';
import { kebab, loadSchemas } from './protocol-gen/schema.ts';
import { apiBaseName, emitApiFile, emitApiTable, emitDataFile, emitRuntime } from './protocol-gen/emit-files.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SCHEMA_ROOT = resolve(REPO_ROOT, '../shared/kafka-protocol');
export const DEFAULT_OUT_DIR = resolve(REPO_ROOT, 'src/protocol/generated');

/** Relative path -> file content, for every generated file. */
export function generateProtocol(schemaRoot: string): Map<string, string> {
  const messages = loadSchemas(join(schemaRoot, 'messages'));
  const files = new Map<string, string>();
  const responses = new Map<number, MessageSpec>();
  for (const m of messages) if (m.type === 'response') responses.set(m.apiKey!, m);
  const requests = messages.filter((m) => m.type === 'request');
  for (const request of requests) {
    const response = responses.get(request.apiKey!);
    if (!response) throw new Error(`${request.name} has no response schema`);
    files.set(`${kebab(apiBaseName(request))}.ts`, emitApiFile(request, response));
  }
  for (const m of messages.filter((s) => s.type === 'data')) {
    files.set(`data/${kebab(m.name)}.ts`, emitDataFile(m));
  }
  for (const r of loadSchemas(join(schemaRoot, 'records'))) {
    files.set(`records/${kebab(r.name)}.ts`, emitDataFile(r));
  }
  files.set('runtime.ts', emitRuntime());
  files.set('api-table.ts', emitApiTable(requests));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Every file under dir, as relative paths with forward slashes. */
export function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

function writeAll(outDir: string, files: Map<string, string>): void {
  rmSync(outDir, { recursive: true, force: true });
  for (const [path, content] of files) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), content);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const schemaRoot = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_SCHEMA_ROOT;
  const outDir = process.argv[3] ? resolve(process.argv[3]) : DEFAULT_OUT_DIR;
  const files = generateProtocol(schemaRoot);
  writeAll(outDir, files);
  console.log(`wrote ${files.size} files to ${outDir}`);
}
