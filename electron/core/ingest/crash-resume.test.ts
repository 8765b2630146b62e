// A kill -9 at any moment of an ingest leaves a case that opens, and running the same ingest again
// gives exactly the counts of a clean run. Real child processes, really killed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { openCase } from '../db/open-case.ts';
import { serviceCalls } from '../../../test-support/service-calls.ts';
import { tempCase, count, flowCount } from '../../../test-support/temp-case.ts';
import { realSample } from '../../../test-support/real-data.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/trailscope.js');
const TEMPLATE = JSON.parse(
  readFileSync(realSample('stratus-red-team', 'aws.exfiltration.ec2-security-group-open-port-22-ingress.json'), 'utf8'),
) as Record<string, unknown>[];

/** 24 CloudTrail files of 2,500 events and 6 flow log files of 10,000 records: a few seconds of ingest. */
function writeInputs(dir: string): void {
  let n = 0;
  for (let f = 0; f < 24; f++) {
    const records = [];
    for (let i = 0; i < 2500; i++, n++) {
      const base = TEMPLATE[n % TEMPLATE.length];
      records.push({
        ...base,
        eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        eventTime: new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString().replace('.000', ''),
        sourceIPAddress: `198.51.100.${n % 250}`,
      });
    }
    const day = join(dir, `AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/${String(1 + (f % 28)).padStart(2, '0')}`);
    mkdirSync(day, { recursive: true });
    writeFileSync(join(day, `111122223333_CloudTrail_us-east-1_${f}.json.gz`), gzipSync(JSON.stringify({ Records: records })));
  }
  for (let f = 0; f < 6; f++) {
    const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
    for (let i = 0; i < 10_000; i++) {
      const t = 1704067200 + f * 10_000 + i;
      lines.push(`2 111122223333 eni-0a1b2c3d4e5f6${f} 203.0.113.${i % 250} 10.0.1.5 ${1024 + (i % 60000)} 22 6 3 180 ${t} ${t + 60} ACCEPT OK`);
    }
    writeFileSync(join(dir, `flows-${f}.log.gz`), gzipSync(lines.join('\n') + '\n'));
  }
}

function runIngest(casePath: string, input: string) {
  const child = spawn(process.execPath, [CLI, 'ingest', '--case', casePath, '--json', input], { stdio: ['ignore', 'pipe', 'pipe'] });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

function counts(casePath: string) {
  const db = openCase(casePath);
  try {
    return {
      events: count(db, 'events'),
      flows: flowCount(db),
      eventResources: count(db, 'event_resources'),
      principalEvents: (db.prepare('SELECT sum(event_count) AS n FROM principals').get() as { n: number }).n,
      serviceCalls: serviceCalls(db).stored,
      sourcesDone: count(db, 'sources', `status = 'done'`),
      sourcesNotDone: count(db, 'sources', `status <> 'done'`),
      // A kill during the bulk load of a new case leaves its indexes dropped; they must be back.
      indexes: db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`).pluck().all(),
      searchable: (db.prepare(`SELECT count(*) AS n FROM events_fts WHERE events_fts MATCH '"198.51.100.7"'`).get() as { n: number }).n,
      // The resources' search index, built at the end of a bulk load (or at the next open after a kill).
      resourceSearchable: (db.prepare(`SELECT count(*) AS n FROM resources_search WHERE resources_search MATCH '"3dc7f1f1"'`).get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

test('kill -9 at several points of an ingest, then resume: exactly the counts of a clean run', { timeout: 300_000 }, async (t) => {
  const c = tempCase('crash');
  t.after(() => c.cleanup());
  c.db.close();
  const input = join(c.dir, 'input');
  writeInputs(input);

  const clean = join(c.dir, 'clean.case');
  const startedClean = performance.now();
  const cleanRun = await runIngest(clean, input).done;
  const cleanMs = performance.now() - startedClean;
  assert.equal(cleanRun.code, 0, cleanRun.stderr);
  const expected = counts(clean);
  assert.equal(expected.events, 60_000);
  assert.equal(expected.flows, 60_000);
  assert.equal(expected.resourceSearchable, 1, 'the security group, by a piece of its id');
  assert.ok(expected.serviceCalls.length > 0);
  const cleanCase = openCase(clean);
  assert.deepEqual(serviceCalls(cleanCase).stored, serviceCalls(cleanCase).ofEvents, 'who called which service, as counted');
  cleanCase.close();

  // Kill at moments spread over a clean run's duration: while the schema is made, early, midway, late.
  // A run that finished before its kill (the machine was faster than the clean run) is retried sooner.
  // Then once more as soon as the first group is committed: under load every fraction can fall before
  // that group (the process start and the readers' warm-up take longer) or after the last.
  const storedAtKill: number[] = [];
  const killedAndResumed = async (casePath: string, label: string) => {
    // The killed case opens, and the same ingest run again completes it.
    const atKill = counts(casePath);
    storedAtKill.push(atKill.events + atKill.flows);
    const resumed = await runIngest(casePath, input).done;
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(counts(casePath), expected, `after a kill ${label}`);
  };
  for (const fraction of [0.05, 0.3, 0.55, 0.8]) {
    const casePath = join(c.dir, `killed-${fraction}.case`);
    let delay = cleanMs * fraction;
    for (let attempt = 0; ; attempt++) {
      const run = runIngest(casePath, input);
      await sleep(delay);
      run.child.kill('SIGKILL');
      const killed = await run.done;
      if (killed.signal === 'SIGKILL') break;
      assert.ok(attempt < 4, `could not kill the ingest before it finished (last delay ${Math.round(delay)} ms)`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(casePath + suffix, { force: true });
      delay /= 2;
    }
    await killedAndResumed(casePath, `at ${Math.round(delay)} ms`);
  }
  const firstCommit = join(c.dir, 'killed-first-commit.case');
  const run = runIngest(firstCommit, input);
  await killOnFirstCommit(run.child, firstCommit);
  await run.done;
  await killedAndResumed(firstCommit, 'once its first group was committed');
  const total = expected.events + expected.flows;
  assert.ok(
    storedAtKill.some((n) => n > 0 && n < total),
    `no kill landed mid-ingest (stored at each kill: ${storedAtKill.join(', ')} of ${total})`,
  );
});

/** Kills the ingest as soon as a committed event shows in its case, read through a read-only connection every few ms. */
async function killOnFirstCommit(child: ChildProcess, casePath: string): Promise<void> {
  while (child.exitCode === null && child.signalCode === null) {
    let events = 0;
    try {
      const db = new Database(casePath, { readonly: true, fileMustExist: true });
      try {
        events = db.prepare('SELECT count(*) FROM event_rows').pluck().get() as number;
      } finally {
        db.close();
      }
    } catch {
      // Not made yet, or its schema not yet committed.
    }
    if (events > 0) {
      child.kill('SIGKILL');
      return;
    }
    await sleep(5);
  }
}
