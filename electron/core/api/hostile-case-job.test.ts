// An import or a pull started on a case that was changed outside Trailscope after the workbench
// opened it: the worker refuses the case, and the job's status carries the refusal in words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobs } from './jobs.ts';
import { EVIDENCE, HOSTILE, genuineCase, hostileCopy } from '../../../test-support/hostile-cases.ts';

let work: string;
let template: string;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'trailscope-job-hostile-'));
  template = await genuineCase(join(work, 'genuine.case'));
});
after(() => rmSync(work, { recursive: true, force: true }));

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const trigger = HOSTILE.find((h) => /trigger on event_rows/.test(h.name))!;

test('import and pull workers refuse a modified case; the job fails with the reason and the case is unchanged', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(work, 'case-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { path } = hostileCopy(template, dir, trigger);
  const before = sha256(path);
  const jobs = createJobs({ casePath: path });
  t.after(() => jobs.closeAll());

  const imported = await jobs.settled(jobs.start([EVIDENCE]));
  assert.equal(imported.state, 'failed');
  assert.match(imported.error ?? '', /was modified outside Trailscope: trigger evil_rewrite on event_rows/);

  const pulled = await jobs.settled(jobs.startPull({ regions: ['us-east-1'], since: '1d', what: ['cloudtrail'] }));
  assert.equal(pulled.state, 'failed');
  assert.match(pulled.error ?? '', /was modified outside Trailscope: trigger evil_rewrite on event_rows/);
  assert.equal(sha256(path), before);
});
