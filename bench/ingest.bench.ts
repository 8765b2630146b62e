// npm run bench:ingest: CloudTrail ingest of one busy account in seven workloads (bench/workloads.ts):
// sessions of ~50 calls per temporary key (typical) beside a new key for every call and the typical
// account delivered in files of ten records, exported as JSON Lines, exported from Security Lake (OCSF),
// spread over 90 days and as one of an organisation trail's twenty accounts, at 100,000 and 1,000,000
// events, then 1,000,000 flow records in AWS's field order, in an order of their own
// (bench/flow-field-order.ts) and as Parquet (bench/flows-as-parquet.ts). Each ingest runs in a process
// of its own, into a fresh case (kept under bench/out/ for bench:query and bench:cli). Prints events/s
// with the phases, peak RSS and case size per run. A run still going at --limit-minutes is stopped and
// reported as such, with how far it got: the worst case can take hours, and that is the finding. npm run
// bench:ingest:5m adds the 5,000,000-event point (over an hour on a 2-core machine: run it alone, once).
// Options: --sizes 100000,1000000  --flows 1000000 (0: none)  --workloads realistic,one-key-per-call,small-files  --limit-minutes 30
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { buildScript } from '../tools/build/bundles.ts';
import { casePath, generated, INGEST_WORKLOAD_NAMES, MIN_FLOWS, OUT, WORKLOADS, type Workload } from './workloads.ts';
import { flowsInOwnOrder } from './flow-field-order.ts';
import { flowsAsParquet } from './flows-as-parquet.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    flows: { type: 'string', default: '1000000' },
    workloads: { type: 'string', default: INGEST_WORKLOAD_NAMES.join(',') },
    'limit-minutes': { type: 'string', default: '30' },
  },
});
const limitMs = Number(values['limit-minutes']) * 60_000;
const sizes = values.sizes.split(',').filter(Boolean).map(Number);
const flows = Number(values.flows);
const workloads = values.workloads.split(',') as Workload[];
for (const w of workloads) if (!(w in WORKLOADS)) throw new Error(`unknown workload ${w} (${Object.keys(WORKLOADS).join(', ')})`);

type Progress = { phase: string; events: number; flows: number; seconds: number };
type Run = {
  events: number; flows: number; seconds: number; cpuSeconds: number; writerCpuSeconds: number; writerCpuByPhase: Record<string, number>;
  phases: Record<string, number>; peakRss: number; peakRssByPhase: Record<string, number>;
  peakHeapByPhase?: Record<string, number>; caseBytes: number; stopped?: Progress;
};

// Each run executes a bundle built as the CLI's is: the code `trailscope ingest` runs, not tsx's.
const ingestOne = await buildScript('bench/ingest-one.ts', join(OUT, 'ingest-one-bundle'));

function ingest(data: string, target: string, kind: 'cloudtrail' | 'flows'): Run {
  const r = spawnSync(process.execPath, [ingestOne, '--data', data, '--case', target, '--kind', kind], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26, timeout: limitMs, killSignal: 'SIGKILL',
  });
  const lines = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    const stopped: Progress = lines.filter((l) => l.progress).at(-1)?.progress ?? { phase: 'scanning', events: 0, flows: 0, seconds: 0 };
    return { events: stopped.events, flows: stopped.flows, seconds: limitMs / 1000, cpuSeconds: 0, writerCpuSeconds: 0, writerCpuByPhase: {}, phases: {}, peakRss: 0, peakRssByPhase: {}, caseBytes: 0, stopped };
  }
  if (r.status !== 0) throw new Error(`ingest of ${data} failed (exit ${r.status})`);
  return lines.at(-1);
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const mb = (x: number) => `${n(x / 1024 / 1024)} MB`;
const s = (x: number | undefined) => (x === undefined ? '-' : `${x.toFixed(1)} s`);

for (const size of sizes) {
  const measured = new Map<Workload, Run>();
  for (const w of workloads) {
    const { dir, summary } = await generated(w, size, w === 'realistic' && size === Math.max(...sizes) && flows > 0 ? flows : MIN_FLOWS);
    const run = ingest(dir, casePath(w, size), 'cloudtrail');
    measured.set(w, run);
    if (run.stopped) {
      console.log(`${n(size).padStart(9)}  ${WORKLOADS[w].label.padEnd(34)} not done in ${values['limit-minutes']} min: stopped while ${run.stopped.phase}, ${n(run.stopped.events)} events stored by then; ${n(summary.temporaryKeys)} temporary keys`);
      continue;
    }
    const line = `${n(size).padStart(9)}  ${WORKLOADS[w].label.padEnd(34)} ${n(run.events / run.seconds).padStart(7)} ev/s  ${s(run.seconds).padStart(8)} (CPU ${s(run.cpuSeconds)}, ${(run.cpuSeconds / run.events * 1e6).toFixed(0)} µs an event, writer thread ${s(run.writerCpuSeconds)}, ${s(run.writerCpuByPhase.reading ?? 0)} of it while reading)  reading ${s(run.phases.reading)}, indexes ${s(run.phases.indexing)}, actors ${s(run.phases.analysing)}; ` +
      `${n(summary.temporaryKeys)} temporary keys; peak RSS ${mb(run.peakRss)} (while reading ${mb(run.peakRssByPhase.reading ?? 0)}, the writer thread's heap at most ${mb(run.peakHeapByPhase?.reading ?? 0)}: the rest is the index build or the analysis, which run in one stretch); case ${mb(run.caseBytes)} = ${(run.caseBytes / summary.cloudTrailJsonBytes).toFixed(2)}x of ${mb(summary.cloudTrailJsonBytes)} JSON`;
    console.log(line);
  }
  const typical = measured.get('realistic');
  const rate = (r: Run) => r.events / r.seconds;
  const [worstName, worst] = [...measured].filter(([, r]) => !r.stopped).sort((a, b) => rate(a[1]) - rate(b[1]))[0] ?? [];
  if (typical && !typical.stopped && worst && worstName !== 'realistic') {
    console.log(`${n(size).padStart(9)}  typical ${n(rate(typical))} ev/s, worst (${WORKLOADS[worstName!].label}) ${n(rate(worst))} ev/s (${(worst.seconds / typical.seconds).toFixed(1)}x the time)\n`);
  }
}

if (flows > 0) {
  // Beside the largest CloudTrail size (or 10,000 events when only flows are asked for, --sizes '': only the flow files are ingested).
  // The same records in AWS's field order (the generator's) and in an order of someone's own (flow-field-order.ts).
  const { dir } = await generated('realistic', sizes.length ? Math.max(...sizes) : 10_000, flows);
  const runs = [
    { label: "in AWS's field order", run: ingest(dir, `${OUT}/flows-${flows}.case`, 'flows') },
    { label: 'in an order of its own', run: ingest(flowsInOwnOrder(dir), `${OUT}/flows-${flows}-own-order.case`, 'flows') },
    { label: "as Parquet (VPC Flow Logs' Parquet delivery)", run: ingest(await flowsAsParquet(dir), `${OUT}/flows-${flows}-parquet.case`, 'flows') },
  ];
  for (const { label, run } of runs) {
    const perRecord = (sec: number) => `${((sec * 1e6) / run.flows).toFixed(1)} µs`;
    console.log(`Flow logs ${label}: ${n(run.flows)} records in ${s(run.seconds)} = ${n(run.flows / run.seconds)} records/s (target 500,000); CPU ${s(run.cpuSeconds)} ` +
      `(${perRecord(run.cpuSeconds)} a record, the writer ${perRecord(run.writerCpuSeconds)}); listing ${s(run.phases.scanning)}, reading ${s(run.phases.reading)}; ` +
      `peak RSS ${mb(run.peakRss)}; case ${mb(run.caseBytes)}`);
  }
  const rates = runs.map((r) => r.run.flows / r.run.seconds);
  const [typical, worst] = [rates[0], Math.min(...rates)];
  console.log(`Flow logs: typical ${n(typical)} records/s, worst ${n(worst)} records/s (${(typical / worst).toFixed(2)}x the time)`);
}
console.log('Targets: 150,000 CloudTrail events/s typical, 100,000 with a new key for every call, 500,000 flow records/s, peak RSS 600 MB, case 0.3x of the JSON, CPU per event within 1.2x from 100,000 to 5,000,000 events.');
