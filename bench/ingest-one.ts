// One measured ingest, run by ingest.bench.ts in a process of its own (so peak RSS and warm-up are
// this run's alone): the CloudTrail and configuration files of a generated workload into a fresh case,
// or its flow logs into another. Prints a progress line every few seconds (the parent reports the last
// one if it stops a run at its time limit), then one JSON line: seconds, CPU seconds, phases, records,
// peak RSS, case size.
// node --import tsx bench/ingest-one.ts --data DIR --case FILE --kind cloudtrail|flows, or --input FILE … for given files
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { cloudTrailInputs, namedFolders } from './named-folders.ts';
import { limitHeapGrowth } from '../electron/core/heap-growth.ts';

// As `trailscope ingest` and the desktop app run (electron/core/heap-growth.ts).
limitHeapGrowth();

const { values } = parseArgs({ options: { data: { type: 'string' }, case: { type: 'string' }, kind: { type: 'string', default: 'cloudtrail' }, input: { type: 'string', multiple: true } } });
const casePath = values.case!;

const roots = values.input ?? (values.kind === 'flows' ? namedFolders(join(values.data!, 'AWSLogs'), 'vpcflowlogs') : cloudTrailInputs(values.data!));

for (const suffix of ['', '-wal', '-shm']) rmSync(casePath + suffix, { force: true });
let phase = 'scanning';
const peakByPhase = new Map<string, number>();
// This thread's JavaScript heap beside the process's RSS (which also holds the reader workers, SQLite's page cache and the sort buffers).
const heapByPhase = new Map<string, number>();
const sampler = setInterval(() => {
  peakByPhase.set(phase, Math.max(peakByPhase.get(phase) ?? 0, process.memoryUsage.rss()));
  heapByPhase.set(phase, Math.max(heapByPhase.get(phase) ?? 0, process.memoryUsage().heapUsed));
}, 50);
const phaseStarts: [string, number, number][] = [];
const writerMicros = () => { const c = process.threadCpuUsage(); return c.user + c.system; };
const db = openCase(casePath, { cacheMiB: 128 });
const t = performance.now();
const cpuAtStart = process.cpuUsage();
const writerCpuAtStart = process.threadCpuUsage();
let reported = 0;
const summary = await ingestPaths(db, roots, {
  ...(process.env.READERS ? { readers: Number(process.env.READERS) } : {}),
  onProgress: (p) => {
    phase = p.phase;
    const changed = phaseStarts.at(-1)?.[0] !== p.phase;
    if (changed) phaseStarts.push([p.phase, performance.now(), writerMicros()]);
    if (changed || performance.now() - reported > 2000) {
      reported = performance.now();
      console.log(JSON.stringify({ progress: { phase: p.phase, events: p.events, flows: p.flows, seconds: (reported - t) / 1000 } }));
    }
  },
});
const seconds = (performance.now() - t) / 1000;
// The process's CPU across all its threads (the reader workers too): the figure a busy machine does not inflate.
const cpu = process.cpuUsage(cpuAtStart);
// This thread alone: the writer, which bounds a workload whose readers wait for it.
const writerCpu = process.threadCpuUsage(writerCpuAtStart);
clearInterval(sampler);
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();
const phases = Object.fromEntries(phaseStarts.slice(0, -1).map(([name, at], i) => [name, (phaseStarts[i + 1][1] - at) / 1000]));
const writerCpuByPhase = Object.fromEntries(phaseStarts.slice(0, -1).map(([name, , cpuAt], i) => [name, (phaseStarts[i + 1][2] - cpuAt) / 1e6]));
console.log(JSON.stringify({
  events: summary.events,
  flows: summary.flows,
  seconds,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  writerCpuSeconds: (writerCpu.user + writerCpu.system) / 1e6,
  writerCpuByPhase,
  phases,
  // getrusage's peak also covers the synchronous stretches (index builds, actor resolution) the sampler cannot interrupt.
  peakRss: process.resourceUsage().maxRSS * 1024,
  peakRssByPhase: Object.fromEntries(peakByPhase),
  peakHeapByPhase: Object.fromEntries(heapByPhase),
  caseBytes: statSync(casePath).size,
}));
