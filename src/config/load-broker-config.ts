/**
 * Loading the broker config at start-up: a server.properties file (optional) with
 * command-line `--set key=value` overrides on top, validated into a BrokerConfig.
 * Start-up only, before anything is served.
 */
import { readFile } from 'node:fs/promises';
import { BrokerConfig } from './broker-config.ts';
import { ConfigError } from './config-error.ts';
import { parseProperties } from './properties.ts';

/** Parses `key=value` overrides (as given to --set); throws ConfigError on a missing '='. */
export function parseOverrides(assignments: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new ConfigError(assignment, "override must have the form key=value");
    result.set(assignment.slice(0, eq).trim(), assignment.slice(eq + 1));
  }
  return result;
}

/** Reads `path` (if given), applies `overrides` over it and validates the result. */
export async function loadBrokerConfig(path: string | null, overrides: ReadonlyMap<string, string> = new Map()): Promise<BrokerConfig> {
  const fromFile = path === null ? new Map<string, string>() : parseProperties(await readFile(path, 'utf8'));
  return BrokerConfig.from(new Map([...fromFile, ...overrides]));
}
