#!/usr/bin/env node
// The `trailscope` command. Runs the TypeScript sources through tsx so the CLI, the tests and the
// app share one copy of the code with no build step in between.
import { register } from 'tsx/esm/api';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`trailscope needs Node.js 22.12 or newer (this is ${process.version}).\n`);
  process.exit(2);
}
register();
const { main } = await import('../electron/cli/main.ts');
await main();
