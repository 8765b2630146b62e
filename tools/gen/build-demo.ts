// Regenerates the bundled demo account in assets/demo (keeps its README.md).
// node --import tsx tools/gen/build-demo.ts
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateAccount } from './generate.ts';
import { DEMO_OPTIONS } from './demo-options.ts';

const out = join(import.meta.dirname, '..', '..', 'assets', 'demo');
for (const stale of ['AWSLogs', 'config', 'incident.json']) rmSync(join(out, stale), { recursive: true, force: true });
const summary = await generateAccount({ ...DEMO_OPTIONS, out });
console.log(JSON.stringify(summary, null, 2));
