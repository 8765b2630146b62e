// npm run bench:findings: the stored findings (analysis/findings/stored-findings.ts). Two cases:
//  1. M synthetic CloudTrail events of 200 users (--events, default 100,000): what storing the findings
//     adds to the ingest (per part), the Sigma part computed after the 57 SigmaHQ CloudTrail rules are
//     loaded, then findings:list read from the stored answer (first page, again, the next page, after a
//     suppression, one actor) beside the full computation every ask paid before.
//  2. The 1,000,000-event case of bench:ingest (--case, default bench/out/case-realistic-1000000-noconfig.case),
//     copied first (opening migrates it): an older case without stored findings, so the first ask
//     computes and stores them; then the stored list, and `trailscope findings` from the built bundle,
//     process start included. --sigma loads the Sigma rules into it too.
// CPU time of this thread where it says CPU (the machine is shared); the load average is printed.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { openWorkbench } from '../electron/core/api/open-workbench.ts';
import { findings } from '../electron/core/analysis/findings/findings.ts';
import type { FindingsResult } from '../shared/engine-types.ts';
import { REAL } from '../test-support/real-data.ts';
import { freshBundle, ROOT } from '../bin/fresh-bundle.js';
import { casePath } from './workloads.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '100000' }, case: { type: 'string' }, sigma: { type: 'boolean', default: false }, 'skip-small': { type: 'boolean', default: false } } });
const EVENTS = Number(values.events);
const A = '111122223333';
const START = Date.UTC(2024, 5, 1);
const NAMES = ['ListAccessKeys', 'GetUser', 'ListRoles', 'DescribeInstances', 'GetObject', 'PutBucketPolicy', 'CreateAccessKey', 'StopLogging'];
const SIGMA = join(REAL, 'sigma-cloudtrail', 'rules');

const load = () => `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;

function measure<T>(f: () => T): { value: T; cpu: number; wall: number } {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = f();
  const used = process.cpuUsage(cpu);
  return { value, cpu: (used.user + used.system) / 1000, wall: performance.now() - t };
}

async function measureAsync<T>(f: () => Promise<T>): Promise<{ value: T; cpu: number; wall: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const used = process.cpuUsage(cpu);
  return { value, cpu: (used.user + used.system) / 1000, wall: performance.now() - t };
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

type Wb = ReturnType<typeof openWorkbench>;

async function ask(wb: Wb, what: string, input: Record<string, unknown> = {}): Promise<FindingsResult> {
  const m = await measureAsync(() => wb.dispatch('findings:list', input));
  if (!m.value.ok) throw new Error(m.value.error.message);
  const r = m.value.value as FindingsResult;
  console.log(`  ${what}: ${ms(m.cpu)} CPU, ${ms(m.wall)} wall (${r.findings.length.toLocaleString('en-US')} of ${(r.total ?? 0).toLocaleString('en-US')} findings, ${(r.incidents ?? []).length.toLocaleString('en-US')} incidents)`);
  return r;
}

function parts(path: string): string {
  const db = openCase(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT p.part, p.compute_ms AS ms, (SELECT count(*) FROM stored_findings f WHERE f.part = p.part) AS n FROM stored_findings_parts p ORDER BY p.part').all() as { part: string; ms: number; n: number }[];
    return rows.map((r) => `${r.part} ${r.n.toLocaleString('en-US')} findings in ${ms(r.ms)} CPU`).join(', ');
  } finally {
    db.close();
  }
}

/** The stored list as the panel and the CLI ask it: first page, again, the next page, by incident, one actor, after a suppression. */
async function storedAsks(wb: Wb) {
  const first = await ask(wb, 'findings:list, first page (stored)');
  await ask(wb, 'findings:list, asked again');
  await ask(wb, 'findings:list, second page', { offset: 1000 });
  await ask(wb, 'findings:list, first 500 by incident (the panel)', { order: 'incident', limit: 500 });
  const actor = first.findings.find((f) => f.actor)?.actor?.origin.id;
  if (actor) await ask(wb, 'findings:list, one actor', { actor });
  const f = first.findings.find((x) => x.id && x.rule);
  if (f) {
    await wb.dispatch('findings:suppress', { scope: 'finding', ruleId: f.rule!.id, target: f.id!, reason: 'bench' });
    await ask(wb, 'findings:list, after a suppression');
  }
}

function fullComputation(path: string) {
  const db = openCase(path, { readonly: true });
  try {
    const m = measure(() => findings(db));
    console.log(`  the full computation (what every first ask cost before): ${ms(m.cpu)} CPU, ${ms(m.wall)} wall (${m.value.findings.length.toLocaleString('en-US')} findings)`);
  } finally {
    db.close();
  }
}

/** `trailscope findings` from the built bundle, process start included (wall time: another process). */
function cli(path: string) {
  const entry = freshBundle('cli', 'trailscope.mjs');
  if (!entry) {
    console.log('  building the CLI bundle…');
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tools/build/bundles.ts'), 'cli'], { stdio: 'inherit' });
  }
  // CPU of the child through /usr/bin/time when it is there: on a shared machine wall time says more about the neighbours.
  const time = existsSync('/usr/bin/time');
  for (const args of [['findings', '--case', path], ['findings', '--case', path, '--json', '--limit', '100']]) {
    const runs: { wall: number; cpu: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const argv = [process.execPath, join(ROOT, 'bin/trailscope.js'), ...args];
      const r = time ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', ...argv], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 }) : spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
      const wall = performance.now() - t;
      if (r.status !== 0) throw new Error(`trailscope ${args.join(' ')}: ${String(r.stderr)}`);
      const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(String(r.stderr));
      runs.push({ wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN });
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1];
    console.log(`  trailscope ${args.slice(0, 1).concat(args.slice(3)).join(' ')}: ${ms(median(runs.map((r) => r.cpu)))} CPU, ${ms(median(runs.map((r) => r.wall)))} wall (medians of 3, process start included; ${load()})`);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'trailscope-bench-findings-'));
try {
  if (!values['skip-small']) {
    console.log(`\n${EVENTS.toLocaleString('en-US')} synthetic events of 200 users`);
    const records = Array.from({ length: EVENTS }, (_, i) => {
      const u = i % 200;
      return {
        eventVersion: '1.09', eventID: `bench-${i}`, eventTime: new Date(START + i * 10_000).toISOString(), eventSource: 'iam.amazonaws.com',
        eventName: NAMES[i % (i % 997 === 0 ? NAMES.length : 5)], awsRegion: 'eu-west-1', sourceIPAddress: `198.51.100.${u % 250}`, recipientAccountId: A,
        userIdentity: { type: 'IAMUser', principalId: `AIDAQ4USER${String(u).padStart(10, '0')}`, arn: `arn:aws:iam::${A}:user/u${u}`, accountId: A, accessKeyId: `AKIAQ4KEY${String(u).padStart(11, '0')}`, userName: `u${u}` },
      };
    });
    writeFileSync(join(dir, 'trail.json'), JSON.stringify({ Records: records }));
    const small = join(dir, 'bench.case');
    const db = openCase(small);
    const ingest = await measureAsync(() => ingestPaths(db, [join(dir, 'trail.json')]));
    db.close();
    console.log(`  ingest: ${ms(ingest.cpu)} CPU, ${ms(ingest.wall)} wall; of which storing the findings: ${parts(small)}`);
    const wb = openWorkbench(small);
    const loaded = await measureAsync(() => wb.dispatch('sigma:load', { path: SIGMA }));
    if (!loaded.value.ok) throw new Error(loaded.value.error.message);
    console.log(`  sigma:load of ${join('sigma-cloudtrail', 'rules')}: ${ms(loaded.cpu)} CPU`);
    await ask(wb, 'findings:list, first ask after sigma:load (computes the Sigma part)');
    console.log(`  stored parts: ${parts(small)}`);
    await storedAsks(wb);
    await wb.close();
    fullComputation(small);
    cli(small);
    console.log(`  ${load()}`);
  }

  const big = values.case ?? casePath('realistic', 1_000_000, { config: false });
  if (existsSync(big)) {
    console.log(`\n${big} (copied; an older case without stored findings)`);
    const copy = join(dir, 'big.case');
    copyFileSync(big, copy);
    const open = measure(() => openWorkbench(copy));
    console.log(`  open (migrates): ${ms(open.cpu)} CPU, ${ms(open.wall)} wall`);
    const wb = open.value;
    if (values.sigma) {
      const loaded = await measureAsync(() => wb.dispatch('sigma:load', { path: SIGMA }));
      console.log(`  sigma:load: ${ms(loaded.cpu)} CPU`);
    }
    await ask(wb, 'findings:list, first ask (computes and stores every part)');
    console.log(`  stored parts: ${parts(copy)}`);
    await storedAsks(wb);
    await wb.close();
    cli(copy);
    console.log(`  ${load()}`);
  } else console.log(`\nno ${big}: run bench:ingest first, or give --case FILE`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
