/**
 * Gregor's version, from package.json (read once when this module loads, at start-up).
 */
import { createRequire } from 'node:module';

const packageJson = createRequire(import.meta.url)('../../package.json') as { version: string };

export const GREGOR_VERSION: string = packageJson.version;
