// Bundles the Electron main process, the preload and the workers (import, pull, reader, layout) to dist/electron/ (CommonJS,
// which Electron's main and sandboxed preloads load without flags). better-sqlite3 stays external:
// it is Node-API, so the one binary in node_modules serves Node and Electron alike.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node22', sourcemap: false, logLevel: 'warning', absWorkingDir: root };

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.cjs', external: ['electron', 'better-sqlite3'] }),
  build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/core/api/import-worker.ts'], outfile: 'dist/electron/import-worker.cjs', external: ['better-sqlite3'] }),
  // The live pull ("Pull from AWS"): the AWS SDK is bundled in, credentials are resolved in this worker.
  build({ ...common, entryPoints: ['electron/core/api/pull-worker.ts'], outfile: 'dist/electron/pull-worker.cjs', external: ['better-sqlite3'] }),
  // The ingest pipeline starts its reader worker from this file, beside the bundle that runs the pipeline.
  build({ ...common, entryPoints: ['electron/core/ingest/read-worker.ts'], outfile: 'dist/electron/read-worker.cjs', external: ['better-sqlite3'] }),
  build({ ...common, entryPoints: ['electron/core/api/layout/precompute-worker.ts'], outfile: 'dist/electron/layout-worker.cjs', external: ['better-sqlite3'] }),
]);
console.log('built dist/electron/{main,preload,import-worker,pull-worker,read-worker,layout-worker}.cjs');
