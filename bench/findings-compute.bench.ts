// npm run bench:findings-compute: what computing the stored findings costs (stored-findings.ts), per
// part, on copies of bench:ingest's cases (bench/out, never changed): each case is copied, the part's
// stamp deleted and storeFindings run in a process of its own, so its CPU, peak RSS (sampled every
// 10 ms by a worker thread) and heap are that part's alone. Prints a hash of the stored findings (every
// finding's JSON and the parts' notes) to compare two versions of the code on the same cases.
//   --case FILE (repeatable; default the realistic and one-key-per-call 1,000,000-event cases without
//   configuration), --part builtin|sigma|detector|flows (default builtin).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { openCase } from '../electron/core/db/open-case.ts';
import { storeFindings } from '../electron/core/analysis/findings/stored-findings.ts';
import { casePath } from './workloads.ts';

const { values } = parseArgs({ options: { case: { type: 'string', multiple: true }, part: { type: 'string', default: 'builtin' }, one: { type: 'string' } } });

if (values.one) await one(values.one, values.part!);
else {
  const cases = values.case ?? [casePath('realistic', 1_000_000, { config: false }), casePath('one-key-per-call', 1_000_000, { config: false })];
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-bench-findings-compute-'));
  try {
    for (const source of cases) {
      if (!existsSync(source)) {
        console.log(`${source}: missing (npm run bench:ingest makes it)`);
        continue;
      }
      const copy = join(dir, basename(source));
      copyFileSync(source, copy);
      process.stdout.write(execFileSync(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, '--one', copy, '--part', values.part!], { encoding: 'utf8' }));
      rmSync(copy, { force: true });
      for (const suffix of ['-wal', '-shm']) rmSync(copy + suffix, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function one(path: string, part: string) {
  const peak = new Float64Array(new SharedArrayBuffer(8));
  const sampler = new Worker(`const { workerData } = require('node:worker_threads'); const a = new Float64Array(workerData);
    setInterval(() => { const r = process.memoryUsage.rss(); if (r > a[0]) a[0] = r; }, 10);`, { eval: true, workerData: peak.buffer });
  const db = openCase(path, { cacheMiB: 128 });
  try {
    db.prepare('DELETE FROM stored_findings_parts WHERE part = ?').run(part);
    const rss = process.memoryUsage.rss();
    peak[0] = rss;
    const cpu = process.cpuUsage();
    const stored = storeFindings(db);
    const used = process.cpuUsage(cpu);
    await new Promise((r) => setTimeout(r, 30));
    const h = createHash('sha256');
    for (const r of db.prepare(`SELECT part, finding_id, rule_id, kind, category, severity, first_time, last_time, origin, origin_label, actor_terms, accounts, body
      FROM stored_findings ORDER BY part, finding_id`).raw().iterate()) h.update(`${JSON.stringify(r)}\n`);
    for (const r of db.prepare('SELECT part, notes, extra FROM stored_findings_parts ORDER BY part').raw().iterate()) h.update(JSON.stringify(r));
    const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
    console.log(`${basename(path)}: ${part} ${stored.map((s) => `${s.findings.toLocaleString('en-US')} findings`).join(', ') || 'up to date'}, ` +
      `${((used.user + used.system) / 1000).toFixed(0)} ms CPU, RSS ${mb(rss)} -> peak ${mb(peak[0])}, heap after ${mb(process.memoryUsage().heapUsed)}; ` +
      `findings hash ${h.digest('hex').slice(0, 16)}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  } finally {
    db.close();
    await sampler.terminate();
  }
}
