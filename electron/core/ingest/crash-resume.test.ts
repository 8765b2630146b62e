// A kill -9 at any moment of an ingest leaves a case that opens, and running the same ingest again
// gives exactly the counts of a clean run. Real child processes, really killed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { openCase } from '../db/open-case.ts';
import { tempCase, count } from './test-support/temp-case.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/trailscope.js');
const TEMPLATE = JSON.parse(
  readFileSync(join(ROOT, '../shared/data/real/stratus-red-team/aws.exfiltration.ec2-security-group-open-port-22-ingress.json'), 'utf8'),
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
      flows: count(db, 'flows'),
      eventResources: count(db, 'event_resources'),
      principalEvents: (db.prepare('SELECT sum(event_count) AS n FROM principals').get() as { n: number }).n,
      sourcesDone: count(db, 'sources', `status = 'done'`),
      sourcesNotDone: count(db, 'sources', `status <> 'done'`),
      searchable: (db.prepare(`SELECT count(*) AS n FROM events_fts WHERE events_fts MATCH '"198.51.100.7"'`).get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

/** Progress as another process sees it: stored events and flows, read through WAL while the writer works. */
function storedSoFar(casePath: string): number {
  try {
    const db = openCase(casePath, { readonly: true });
    try {
      return count(db, 'events') + count(db, 'flows');
    } catch {
      return 0;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

test('kill -9 at several points of an ingest, then resume: exactly the counts of a clean run', { timeout: 300_000 }, async (t) => {
  const c = tempCase('crash');
  t.after(() => c.cleanup());
  c.db.close();
  const input = join(c.dir, 'input');
  writeInputs(input);

  const clean = join(c.dir, 'clean.case');
  const cleanRun = await runIngest(clean, input).done;
  assert.equal(cleanRun.code, 0, cleanRun.stderr);
  const expected = counts(clean);
  assert.equal(expected.events, 60_000);
  assert.equal(expected.flows, 60_000);
  const total = expected.events + expected.flows;

  // Kill at the start (schema just made), early, midway and late; each time the case must open.
  for (const fraction of [0, 0.15, 0.5, 0.85]) {
    const casePath = join(c.dir, `killed-${fraction}.case`);
    const run = runIngest(casePath, input);
    if (fraction === 0) await sleep(300);
    else while (storedSoFar(casePath) < total * fraction) await sleep(20);
    run.child.kill('SIGKILL');
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL', `the ingest finished before the kill at ${fraction}`);
    const partial = storedSoFar(casePath);
    assert.ok(partial < total, `kill at ${fraction}: ${partial} of ${total} stored`);

    const resumed = await runIngest(casePath, input).done;
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(counts(casePath), expected, `after a kill at ${fraction}`);
  }
});
