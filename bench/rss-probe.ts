// Where an ingest's memory is while it reads: RSS split into anonymous and file-backed pages, the
// writer thread's heap and off-heap buffers, and each reader worker's heap, sampled every 200 ms,
// with the peak of each. A probe for finding what holds memory, not a benchmark.
// A second thread samples RSS every 20 ms (the index builds and the analysis hold the main thread),
// so the phases after reading have their peaks too; it adds its own few MB to them.
// node --import tsx bench/rss-probe.ts --data DIR --case FILE [--cache-mib 128] [--readers N] [--every 200]
import { readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { ReaderPool } from '../electron/core/ingest/reader-pool.ts';
import { cloudTrailInputs } from './named-folders.ts';
import { limitHeapGrowth } from '../electron/core/heap-growth.ts';

// As `trailscope ingest` and the desktop app run (electron/core/heap-growth.ts).
limitHeapGrowth();

const { values } = parseArgs({ options: { data: { type: 'string' }, case: { type: 'string' }, 'cache-mib': { type: 'string', default: '128' }, readers: { type: 'string' }, every: { type: 'string', default: '200' } } });
// Each account's CloudTrail folder, as a user hands it over (and as bench/ingest-one.ts does).
const roots = cloudTrailInputs(values.data!);
for (const suffix of ['', '-wal', '-shm']) rmSync(values.case! + suffix, { force: true });

// The pool's workers, caught as it spawns them (reader-pool.ts keeps them private).
const workers: Worker[] = [];
const proto = ReaderPool.prototype as unknown as { spawn(i: number): Worker };
const spawn = proto.spawn;
proto.spawn = function (this: unknown, i: number) {
  const w = spawn.call(this, i);
  workers[i] = w;
  return w;
};

const MB = 1024 * 1024;
const status = () => {
  const s = readFileSync('/proc/self/status', 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) * 1024;
  return { anon: kb('RssAnon'), file: kb('RssFile') };
};
let phase = 'scanning';
type Sample = Record<string, number>;
const peaks = new Map<string, Sample>();
let atPeak: Sample | null = null;
let busy = false;
const sample = async () => {
  if (busy) return;
  busy = true;
  const m = process.memoryUsage();
  const st = status();
  const s: Sample = { rss: m.rss, anon: st.anon, file: st.file, heap: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
  const stats = await Promise.all(workers.map((w) => (w as unknown as { getHeapStatistics(): Promise<{ used_heap_size: number; total_heap_size: number; external_memory: number }> }).getHeapStatistics().catch(() => null)));
  stats.forEach((h, i) => {
    if (!h) return;
    s[`w${i}heap`] = h.used_heap_size;
    s[`w${i}total`] = h.total_heap_size;
    s[`w${i}ext`] = h.external_memory;
  });
  const p = peaks.get(phase) ?? {};
  for (const [k, v] of Object.entries(s)) p[k] = Math.max(p[k] ?? 0, v);
  peaks.set(phase, p);
  if (phase === 'reading' && (!atPeak || s.rss > atPeak.rss)) atPeak = s;
  busy = false;
};
// 'analysing' is resolving the actors then computing the findings: the second starts when storeFindings
// prepares its first statement (hasStoredFindings' look at sqlite_master), seen through db.prepare.
const PHASES = ['scanning', 'reading', 'indexing', 'analysing', 'findings', 'done'];
const shared = new Int32Array(new SharedArrayBuffer(4 * (2 + PHASES.length)));
new Worker(`const { workerData } = require('node:worker_threads'); const a = workerData;
setInterval(() => { if (Atomics.load(a, 1)) process.exit(0); const p = Atomics.load(a, 0); const kb = Math.round(process.memoryUsage.rss() / 1024); if (kb > a[2 + p]) a[2 + p] = kb; }, 20);`, { eval: true, workerData: shared });
const phaseSeconds: Record<string, number> = {};
let phaseAt = performance.now();
const setPhase = (name: string) => {
  if (name !== phase) {
    phaseSeconds[phase] = Math.round((performance.now() - phaseAt) / 100) / 10;
    phaseAt = performance.now();
  }
  phase = name;
  Atomics.store(shared, 0, Math.max(0, PHASES.indexOf(name)));
};
const timer = setInterval(() => void sample(), Number(values.every));
const db = openCase(values.case!, { cacheMiB: Number(values['cache-mib']) });
const prepare = db.prepare.bind(db);
db.prepare = ((sql: string) => {
  if (phase === 'analysing' && sql.includes("name IN ('stored_findings', 'stored_findings_parts')")) setPhase('findings');
  return prepare(sql);
}) as typeof db.prepare;
const t = performance.now();
const cpu0 = process.cpuUsage();
const summary = await ingestPaths(db, roots, { onProgress: (p) => setPhase(p.phase), ...(values.readers ? { readers: Number(values.readers) } : {}) });
setPhase('done');
const seconds = (performance.now() - t) / 1000;
const cpu = process.cpuUsage(cpu0);
clearInterval(timer);
db.close();
Atomics.store(shared, 1, 1);
const byPhase = Object.fromEntries(PHASES.map((p, i) => [p, Math.round(shared[2 + i] / 1024)]));
const fmt = (s: Sample) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Math.round(v / MB)]));
console.log(JSON.stringify({ events: summary.events, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), rssByPhaseMB: byPhase, phaseSeconds }));
for (const [name, p] of peaks) console.log(name.padEnd(10), 'peaks MB', JSON.stringify(fmt(p)));
if (atPeak) console.log('at the reading peak MB', JSON.stringify(fmt(atPeak)));
