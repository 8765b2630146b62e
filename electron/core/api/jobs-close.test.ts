// Closing the case while an import starts (the app quit, another case opened): the import is
// cancelled, not terminated (a worker terminated while it loads SQLite's native module takes the
// whole process down: end-worker.ts), it ends as cancelled, and the case is left readable with
// nothing half-written, so the next import stores everything once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJobs } from './jobs.ts';
import { openCase } from '../db/open-case.ts';
import { count, tempCase } from '../../../test-support/temp-case.ts';
import { realSample } from '../../../test-support/real-data.ts';

const EVIDENCE = realSample('stratus-red-team');

test('closing the jobs as an import starts cancels it; the case stays whole and the next import stores every event once', { timeout: 120_000 }, async (t) => {
  const c = tempCase('close-jobs');
  t.after(() => c.cleanup());
  c.db.close();

  const jobs = createJobs({ casePath: c.path });
  const jobId = jobs.start([EVIDENCE]);
  await jobs.closeAll();
  const closed = await jobs.settled(jobId);
  assert.equal(closed.state, 'cancelled', closed.error ?? '');
  assert.equal(closed.error, null);

  const again = createJobs({ casePath: c.path });
  const done = await again.settled(again.start([EVIDENCE]));
  await again.closeAll();
  assert.equal(done.state, 'done', done.error ?? '');

  const fresh = tempCase('close-jobs-fresh');
  t.after(() => fresh.cleanup());
  fresh.db.close();
  const reference = createJobs({ casePath: fresh.path });
  const expected = await reference.settled(reference.start([EVIDENCE]));
  await reference.closeAll();

  const db = openCase(c.path, { readonly: true });
  const events = count(db, 'event_rows');
  db.close();
  assert.ok(expected.records > 100, `${expected.records} events in the reference`);
  assert.equal(events, expected.records);
  assert.equal(done.duplicates, expected.duplicates);
});
