/**
 * Parsing of `listeners` / `advertised.listeners` (NAME://host:port,...) and of
 * `listener.security.protocol.map` (NAME:PROTOCOL,...), with Kafka's checks: every
 * listener name must be mapped to a security protocol, names and ports are unique, IPv6
 * hosts are written in brackets, an empty host means "all interfaces".
 */
import { ConfigError } from './config-error.ts';

export interface ListenerAddress {
  /** Listener name, upper-cased as Kafka normalises it (e.g. PLAINTEXT). */
  readonly name: string;
  /** Host to bind or advertise; '' = all interfaces (bind) / this machine (advertise). */
  readonly host: string;
  readonly port: number;
  /** Security protocol mapped to the name: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
  readonly securityProtocol: string;
}

const SECURITY_PROTOCOLS = new Set(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']);
const LISTENER_PATTERN = /^([A-Za-z0-9_-]+):\/\/(\[[0-9A-Fa-f:.]*\]|[^:[\]]*):(\d+)$/;

/** Parses listener.security.protocol.map; throws ConfigError naming `key`. */
export function parseSecurityProtocolMap(key: string, text: string): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const entry of splitList(text)) {
    const [name, protocol, ...rest] = entry.split(':').map((s) => s.trim());
    if (!name || !protocol || rest.length > 0) throw new ConfigError(key, `entry '${entry}' is not NAME:PROTOCOL`);
    const upper = protocol.toUpperCase();
    if (!SECURITY_PROTOCOLS.has(upper)) throw new ConfigError(key, `unknown security protocol '${protocol}'`);
    if (map.has(name.toUpperCase())) throw new ConfigError(key, `listener name '${name}' is mapped twice`);
    map.set(name.toUpperCase(), upper);
  }
  return map;
}

/** Parses a listener list; throws ConfigError naming `key`. */
export function parseListeners(
  key: string,
  text: string,
  protocols: ReadonlyMap<string, string>,
): ListenerAddress[] {
  const result: ListenerAddress[] = [];
  for (const entry of splitList(text)) {
    const listener = parseOne(key, entry, protocols);
    if (result.some((l) => l.name === listener.name)) {
      throw new ConfigError(key, `listener name '${listener.name}' appears more than once`);
    }
    if (result.some((l) => l.port === listener.port && l.port !== 0)) {
      throw new ConfigError(key, `port ${listener.port} is used by more than one listener`);
    }
    result.push(listener);
  }
  return result;
}

function parseOne(key: string, entry: string, protocols: ReadonlyMap<string, string>): ListenerAddress {
  const match = LISTENER_PATTERN.exec(entry);
  if (match === null) throw new ConfigError(key, `'${entry}' is not of the form NAME://host:port`);
  const name = match[1].toUpperCase();
  const host = match[2].startsWith('[') ? match[2].slice(1, -1) : match[2];
  const port = Number(match[3]);
  if (port > 65535) throw new ConfigError(key, `port ${port} in '${entry}' is out of range [0, 65535]`);
  const securityProtocol = protocols.get(name);
  if (securityProtocol === undefined) {
    throw new ConfigError(key, `listener name '${name}' has no entry in listener.security.protocol.map`);
  }
  return Object.freeze({ name, host, port, securityProtocol });
}

function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
