// npm run bench:later-ingest: what a later ingest into a big case costs, the way a live pull of the next
// hour or a second batch of files arrives (issue 10 item 4: the derived answers updated on each ingest,
// not recomputed whole). A copy of each million-event case of bench/graph-cases.ts (never changed itself)
// takes the next six hours (the generator's shortest window) of the same account shape, its seed 2, starting where the case ends,
// in a process of its own; the phases' wall and writer CPU, and of the analysis the findings' own CPU
// (stored_findings_parts.compute_ms) beside the rest (resolving the actors, the roll-ups).
//   --events N (default 20,000: six hours of a busy account), --case FILE (repeatable; default both cases).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateAccount } from '../tools/gen/generate.ts';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { filesUnder } from '../test-support/files-under.ts';
import { casePath, OUT, WORKLOADS, type Workload } from './workloads.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '20000' }, case: { type: 'string', multiple: true }, one: { type: 'string' }, data: { type: 'string' } } });

if (values.one) await one(values.one, values.data!);
else await main();

async function main() {
  const events = Number(values.events);
  const cases = values.case ?? (['realistic', 'one-key-per-call'] as Workload[]).map((w) => casePath(w, 1_000_000, { config: false }));
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-bench-later-'));
  console.log(`A later ingest of ${events.toLocaleString('en-US')} events (the next six hours) into a copy of each case; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  try {
    for (const source of cases) {
      if (!existsSync(source)) {
        console.log(`${source}: missing (node --import tsx bench/graph-cases.ts makes it)`);
        continue;
      }
      const workload = (['one-key-per-call', 'realistic'] as Workload[]).find((w) => basename(source).includes(w))!;
      const data = await laterHour(workload, events);
      const copy = join(dir, basename(source));
      copyFileSync(source, copy);
      process.stdout.write(execFileSync(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, '--one', copy, '--data', data], { encoding: 'utf8' }));
      for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The six hours after the cases' day (bench/workloads.ts generates 2025-03-10), generated once under bench/out. */
async function laterHour(workload: Workload, events: number): Promise<string> {
  const out = join(OUT, `gen-later-${workload}-${events}`);
  if (!existsSync(join(out, 'incident.json'))) {
    rmSync(out, { recursive: true, force: true });
    await generateAccount({ users: 60, instances: 60, seed: 2, events, flows: 400, hours: 6, start: '2025-03-11T00:00:00Z', out,
      shape: { ...WORKLOADS[workload].shape, config: false } });
  }
  return out;
}

async function one(path: string, data: string) {
  const files = filesUnder(join(data, 'AWSLogs')).filter((f) => f.includes('/CloudTrail/'));
  const db = openCase(path, { cacheMiB: 128 });
  const thread = () => { const c = process.threadCpuUsage(); return (c.user + c.system) / 1000; };
  const marks: [string, number, number][] = [];
  const startedAt = Date.now();
  const cpu = process.cpuUsage();
  const summary = await ingestPaths(db, files, {
    onProgress: (p) => { if (marks.at(-1)?.[0] !== p.phase) marks.push([p.phase, performance.now(), thread()]); },
  });
  const used = process.cpuUsage(cpu);
  const phase = (name: string) => {
    const i = marks.findIndex((m) => m[0] === name);
    return i < 0 || i + 1 >= marks.length ? null : { ms: marks[i + 1][1] - marks[i][1], cpuMs: marks[i + 1][2] - marks[i][2] };
  };
  const parts = db.prepare('SELECT part, compute_ms FROM stored_findings_parts WHERE computed_at >= ?').raw().all(startedAt) as [string, number][];
  const findingsMs = parts.reduce((s, [, ms]) => s + ms, 0);
  const analysing = phase('analysing');
  const reading = phase('reading');
  const actors = db.prepare('SELECT count(*) FROM actor_rows').pluck().get() as number;
  db.close();
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`${basename(path)}: +${summary.events.toLocaleString('en-US')} events, whole ingest ${s(summary.durationMs)} wall, ${s((used.user + used.system) / 1000)} CPU; ` +
    `reading ${reading ? `${s(reading.ms)} (the writer thread ${s(reading.cpuMs)} CPU)` : '-'}; analysing ${analysing ? `${s(analysing.ms)} wall, ${s(analysing.cpuMs)} CPU` : '-'}, ` +
    `of which findings ${s(findingsMs)} CPU (${parts.map(([p]) => p).join(', ') || 'none recomputed'}) and actors ${analysing ? s(analysing.cpuMs - findingsMs) : '-'}; ` +
    `${actors.toLocaleString('en-US')} actors; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}
