/**
 * meta.properties: the identity file in every log directory, as Kafka (KRaft) writes it:
 *
 *   #
 *   #<timestamp comment>
 *   cluster.id=<cluster id>
 *   directory.id=<uuid of this directory>
 *   node.id=<node id>
 *   version=1
 *
 * At start-up every log dir is checked: a missing file is created (Gregor formats new
 * directories itself, where Kafka needs `kafka-storage format`); an existing file must
 * carry this broker's node.id and the same cluster.id as the other dirs and as the
 * configured `cluster.id`, otherwise start-up fails with a clear error instead of mixing
 * data of two brokers or clusters. Written atomically (tmp, fsync, rename, fsync dir).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseProperties } from '../config/properties.ts';
import { writeFileAtomically } from './atomic-write.ts';
import { randomUuid } from './uuid.ts';

export const META_PROPERTIES_FILE = 'meta.properties';

export interface MetaProperties {
  readonly version: number;
  readonly nodeId: number;
  readonly clusterId: string;
  readonly directoryId: string;
}

export class MetaPropertiesError extends Error {
  override readonly name = 'MetaPropertiesError';
}

export async function readMetaProperties(dir: string): Promise<MetaProperties | null> {
  const path = join(dir, META_PROPERTIES_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const props = parseProperties(text);
  const version = Number(props.get('version'));
  if (version !== 1) throw new MetaPropertiesError(`${path}: unsupported version '${props.get('version')}' (expected 1)`);
  const nodeId = Number(props.get('node.id'));
  const clusterId = props.get('cluster.id');
  if (!Number.isInteger(nodeId) || clusterId === undefined || clusterId === '') {
    throw new MetaPropertiesError(`${path}: node.id and cluster.id are required`);
  }
  return { version, nodeId, clusterId, directoryId: props.get('directory.id') ?? '' };
}

export async function writeMetaProperties(dir: string, meta: MetaProperties): Promise<void> {
  const text = [
    '#',
    `#${new Date().toString()}`,
    `cluster.id=${meta.clusterId}`,
    `directory.id=${meta.directoryId}`,
    `node.id=${meta.nodeId}`,
    `version=${meta.version}`,
    '',
  ].join('\n');
  await writeFileAtomically(join(dir, META_PROPERTIES_FILE), text);
}

/**
 * Checks (and creates where missing) meta.properties in every log dir; returns the
 * cluster id: the one already on disk, else `configuredClusterId`, else a new random id.
 * Start-up only.
 */
export async function ensureMetaProperties(
  logDirs: readonly string[],
  nodeId: number,
  configuredClusterId: string | null,
): Promise<{ clusterId: string; directoryIds: ReadonlyMap<string, string> }> {
  const existing = new Map<string, MetaProperties>();
  for (const dir of logDirs) {
    await mkdir(dir, { recursive: true });
    const meta = await readMetaProperties(dir);
    if (meta !== null) existing.set(dir, meta);
  }
  const clusterId = agreedClusterId(existing, configuredClusterId) ?? randomUuid();
  for (const [dir, meta] of existing) {
    if (meta.nodeId !== nodeId) {
      throw new MetaPropertiesError(
        `${join(dir, META_PROPERTIES_FILE)} has node.id=${meta.nodeId}, but this broker is configured with node.id=${nodeId}`,
      );
    }
  }
  const directoryIds = new Map<string, string>();
  for (const dir of logDirs) {
    let meta = existing.get(dir);
    if (meta === undefined) {
      meta = { version: 1, nodeId, clusterId, directoryId: randomUuid() };
      await writeMetaProperties(dir, meta);
    }
    directoryIds.set(dir, meta.directoryId);
  }
  return { clusterId, directoryIds };
}

function agreedClusterId(existing: ReadonlyMap<string, MetaProperties>, configured: string | null): string | null {
  let agreed: { id: string; dir: string } | null = null;
  for (const [dir, meta] of existing) {
    if (agreed !== null && agreed.id !== meta.clusterId) {
      throw new MetaPropertiesError(
        `log dirs belong to different clusters: ${agreed.dir} has cluster.id=${agreed.id}, ${dir} has cluster.id=${meta.clusterId}`,
      );
    }
    agreed ??= { id: meta.clusterId, dir };
  }
  if (agreed !== null && configured !== null && agreed.id !== configured) {
    throw new MetaPropertiesError(
      `${join(agreed.dir, META_PROPERTIES_FILE)} has cluster.id=${agreed.id}, but cluster.id=${configured} is configured`,
    );
  }
  return agreed?.id ?? configured;
}
