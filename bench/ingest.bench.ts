// npm run bench:ingest: generate 1,000,000 CloudTrail events (gzipped S3-layout files) and 1,000,000
// flow records, ingest them into a fresh case, and print events/s, flow records/s, peak RSS, and the
// case size against the uncompressed JSON. Sizes can be changed: --events N --flows M.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { generateAccount } from '../tools/gen/generate.ts';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, flows: { type: 'string', default: '1000000' } } });
const events = Number(values.events);
const flows = Number(values.flows);
const out = new URL('./out/', import.meta.url).pathname;
const data = join(out, `gen-${events}-${flows}`);

if (!existsSync(join(data, 'incident.json'))) {
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true });
  const t = performance.now();
  await generateAccount({ events, flows, out: data });
  console.log(`generated ${events} events and ${flows} flow records in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

function sizes() {
  let gz = 0;
  let json = 0;
  for (const f of walk(data)) {
    if (!f.includes('/CloudTrail/')) continue;
    gz += statSync(f).size;
    json += f.endsWith('.gz') ? gunzipSync(readFileSync(f)).length : statSync(f).size;
  }
  return { gz, json };
}

let peakRss = 0;
let phase = 'reading';
const peakByPhase = new Map<string, number>();
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  peakRss = Math.max(peakRss, rss);
  peakByPhase.set(phase, Math.max(peakByPhase.get(phase) ?? 0, rss));
}, 50);

async function ingestOnly(kind: 'CloudTrail' | 'vpcflowlogs') {
  const casePath = join(out, `bench-${kind}.case`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(casePath + suffix, { force: true });
  const db = openCase(casePath, { cacheMiB: 128, mmapMiB: 0 });
  const roots = walk(data).filter((f) => f.includes(`/${kind}/`));
  const t = performance.now();
  const phaseStarts: [string, number][] = [];
  const summary = await ingestPaths(db, roots, {
    onProgress: (p) => {
      phase = `${kind} ${p.phase}`;
      if (phaseStarts.at(-1)?.[0] !== p.phase) phaseStarts.push([p.phase, performance.now()]);
    },
  });
  const seconds = (performance.now() - t) / 1000;
  const phases = phaseStarts
    .slice(0, -1)
    .map(([name, at], i) => `${name} ${((phaseStarts[i + 1][1] - at) / 1000).toFixed(1)} s`)
    .join(', ');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  // getrusage's peak also covers the synchronous stretches (index builds, actor resolution) that the
  // sampler cannot interrupt.
  const peakRssSoFar = process.resourceUsage().maxRSS * 1024;
  return { summary, seconds, phases, caseBytes: statSync(casePath).size, peakRssSoFar };
}

const ct = await ingestOnly('CloudTrail');
const fl = await ingestOnly('vpcflowlogs');
clearInterval(sampler);
const { gz, json } = sizes();

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(`CloudTrail: ${ct.summary.events} events in ${ct.seconds.toFixed(1)} s = ${Math.round(ct.summary.events / ct.seconds).toLocaleString('en-US')} events/s (target 150,000); ${ct.phases}`);
console.log(`Flow logs:  ${fl.summary.flows} records in ${fl.seconds.toFixed(1)} s = ${Math.round(fl.summary.flows / fl.seconds).toLocaleString('en-US')} records/s (target 500,000); ${fl.phases}`);
console.log(`Peak RSS:   ${mb(Math.max(peakRss, fl.peakRssSoFar))} (target 600 MB): ${mb(ct.peakRssSoFar)} by the end of the CloudTrail ingest; sampled by phase: ${[...peakByPhase].map(([k, v]) => `${k} ${mb(v)}`).join(', ')}`);
console.log(`Case size:  ${mb(ct.caseBytes)} for ${mb(json)} of CloudTrail JSON (${mb(gz)} gzipped) = ${(ct.caseBytes / json).toFixed(2)}x (target 0.4x)`);
