// npm run bench:open: what refusing a modified case costs. Every CLI command, reader worker and app
// start opens a case, and each open compares the case's schema with the one the code's migrations
// make (electron/core/db/schema-check.ts). Measured on the bundled demo case and on a large generated
// case (--events N, default 200,000): the reference schema's one-off build per process, the check
// itself, whole read-only and writable opens (median of --runs), and a full scan of event_rows with
// SQLite's cell_size_check on and off. Cases are cached under bench/out/.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateAccount } from '../tools/gen/generate.ts';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { expectedSchema } from '../electron/core/db/expected-schema.ts';
import { schemaFindings } from '../electron/core/db/schema-check.ts';
import { LATEST_VERSION } from '../electron/core/db/migrations/index.ts';

{
  // First, before any open has built it.
  const t = performance.now();
  expectedSchema(LATEST_VERSION);
  console.log(`reference schema, built once per process: ${(performance.now() - t).toFixed(1)} ms`);
}

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' }, runs: { type: 'string', default: '50' } } });
const events = Number(values.events);
const runs = Number(values.runs);
const out = new URL('./out/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });

async function ensureCase(path: string, inputs: () => Promise<string[]>): Promise<string> {
  if (!existsSync(path)) {
    const from = await inputs();
    const db = openCase(path, { cacheMiB: 512 });
    const t = performance.now();
    await ingestPaths(db, from);
    db.close();
    console.log(`built ${path} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return path;
}

const demo = await ensureCase(join(out, 'demo.case'), async () => [new URL('../assets/demo/', import.meta.url).pathname]);
const large = await ensureCase(join(out, `open-${events}.case`), async () => {
  const data = join(out, `gen-open-${events}`);
  if (!existsSync(join(data, 'incident.json'))) {
    rmSync(data, { recursive: true, force: true });
    await generateAccount({ events, flows: Math.min(events, 100_000), out: data });
  }
  return [join(data, 'AWSLogs'), join(data, 'config')];
});

const median = (fn: () => void): number => {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
};

for (const [name, path] of [['demo', demo], [`${events} events`, large]] as const) {
  const db = openCase(path, { readonly: true });
  const count = db.prepare('SELECT count(*) FROM event_rows').pluck().get() as number;
  const check = median(() => {
    if (schemaFindings(db).length > 0) throw new Error('the benchmark case is refused');
  });
  db.close();
  const ro = median(() => openCase(path, { readonly: true }).close());
  const rw = median(() => openCase(path).close());
  console.log(
    `${name.padEnd(16)} ${String(count).padStart(8)} events  schema check ${check.toFixed(2)} ms  open read-only ${ro.toFixed(2)} ms  open writable ${rw.toFixed(2)} ms (median of ${runs})`,
  );
}
{
  // cell_size_check=ON (set by openCase) checks each cell as a page is read: its cost on a full scan.
  const db = openCase(large, { readonly: true });
  const scan = db.prepare('SELECT count(*), sum(length(shared_event_id)), max(raw_index) FROM event_rows NOT INDEXED').pluck();
  const scanRuns = Math.max(5, Math.floor(runs / 10));
  const timed = (on: boolean) => {
    db.pragma(`cell_size_check = ${on ? 'ON' : 'OFF'}`);
    scan.get();
    const times: number[] = [];
    for (let i = 0; i < scanRuns; i++) {
      const t = performance.now();
      scan.get();
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  };
  const off = timed(false);
  const on = timed(true);
  console.log(`full scan of event_rows: cell_size_check off ${off.toFixed(1)} ms, on ${on.toFixed(1)} ms (median of ${scanRuns})`);
  db.close();
}
