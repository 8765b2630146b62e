#!/usr/bin/env node
// The `trailscope` command. Runs the built CLI (dist/cli, made by `npm install` or `npm run build:cli`)
// when it is up to date with the sources; otherwise, or with TRAILSCOPE_FROM_SOURCES=1, runs the
// TypeScript sources through tsx (about a second more at each start), so an edited source is never
// shadowed by a stale bundle and tests that spawn the CLI run the current code.
import { pathToFileURL } from 'node:url';
// A namespace, not a named import: a named one that this Node lacks fails before the version check below can say why.
import * as nodeModule from 'node:module';
import { freshBundle } from './fresh-bundle.js';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 15)) {
  process.stderr.write(`trailscope needs Node.js 22.15 or newer (this is ${process.version}).\n`);
  process.exit(2);
}
const bundle = process.env.TRAILSCOPE_FROM_SOURCES === '1' ? null : freshBundle('cli', 'trailscope.mjs');
let cli;
if (bundle) {
  // V8 keeps the compiled bundle (in the system's temp folder): later starts skip compiling it.
  nodeModule.enableCompileCache?.();
  cli = await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../electron/cli/main.ts');
}
await cli.main();
