// The package entry (`import { startBroker } from 'gregor'`). Gregor ships its TypeScript
// sources and no build output (docs/DESIGN: no build step). Node strips types itself,
// except for files under node_modules (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING), which
// is where this package lives once installed. So this plain-JS entry registers a module
// load hook that strips the types of this package's own .ts files with Node's own
// stripper (module.stripTypeScriptTypes, same erasable-syntax rules) when, and only when,
// they are under node_modules; everywhere else Node's built-in stripping runs. Then it
// loads the real entry, src/index.ts. Needs Node >= 24 (engines).
import { readFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { fileURLToPath } from 'node:url';

const ownSources = new URL('./src/', import.meta.url).href;

if (ownSources.includes('/node_modules/')) {
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith(ownSources) || !url.endsWith('.ts')) return nextLoad(url, context);
      const source = stripTypeScriptTypes(readFileSync(fileURLToPath(url), 'utf8'));
      return { format: 'module', source, shortCircuit: true };
    },
  });
}

const api = await import('./src/index.ts');

export const { startBroker, BrokerConfig, ConfigError, createLogger, ManualClock, systemClock } = api;
