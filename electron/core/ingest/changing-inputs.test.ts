// Evidence copied into the folder while it is being read (a sync still running): the readers walk
// the folder apart and without a list (walk-print.ts), so a file added meanwhile may be read by none.
// The ingest then says so and is not reported whole; the same ingest again reads what was missed,
// and nothing is stored twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPaths } from './pipeline.ts';
import { tempCase, count } from '../../../test-support/temp-case.ts';
import { REAL } from '../../../test-support/real-data.ts';
import { changedInputsNote, differingWalks, WalkPrinter } from './walk-print.ts';

const SAMPLE = join(REAL, 'trailscraper/tests/cloudtrail/data/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json');

function records(prefix: string, n: number): Record<string, unknown>[] {
  const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')).Records as Record<string, unknown>[];
  return Array.from({ length: n }, (_, i) => ({ ...sample[i % sample.length], eventID: `${prefix}-${i}` }));
}

test('a file added to a folder while the readers walk it: the ingest says it may have missed it, and the next one reads it', async (t) => {
  const c = tempCase('changing-inputs');
  t.after(() => c.cleanup());
  const input = join(c.dir, 'input');
  const first = join(input, '2017/12/10');
  const later = join(input, '2017/12/11');
  mkdirSync(first, { recursive: true });
  mkdirSync(later, { recursive: true });
  // The first input of the walk is the first reader's, and large: it is still reading it when the
  // other reader has walked the later folder, read its share there, and finished.
  writeFileSync(join(first, 'large.json'), JSON.stringify({ Records: records('large', 30_000) }));
  for (let i = 1; i <= 6; i++) writeFileSync(join(later, `small-${i}.json`), JSON.stringify({ Records: records(`small${i}`, 3) }));

  let added = false;
  const summary = await ingestPaths(c.db, [input], {
    readers: 2,
    onProgress: (p) => {
      // The first files done are the other reader's: the later folder gains a file, last in its order.
      if (added || p.filesDone === 0) return;
      added = true;
      writeFileSync(join(later, 'zz-copied-in.json'), JSON.stringify({ Records: records('copied', 2) }));
    },
  });
  assert.ok(added);
  assert.deepEqual(summary.notes, [changedInputsNote([7, 8])]);
  assert.match(summary.notes[0], /found 7 and 8 inputs on different walks.*may have been missed.*Ingest the same paths again/);

  const again = await ingestPaths(c.db, [input], { readers: 2 });
  assert.deepEqual(again.notes, []);
  assert.equal(count(c.db, 'events'), 30_000 + 6 * 3 + 2, 'every record once');
  assert.equal(count(c.db, 'events', `event_id LIKE 'copied-%'`), 2);
});

test('walks agree when they went through the same paths in the same order, and only then', () => {
  const walk = (...paths: string[]) => {
    const w = new WalkPrinter();
    for (const p of paths) w.add(p);
    return w.print;
  };
  assert.deepEqual(differingWalks([walk('a', 'b'), walk('a', 'b'), walk('a', 'b')]), []);
  assert.deepEqual(differingWalks([walk('a', 'b')]), []);
  assert.deepEqual(differingWalks([walk('a', 'b'), walk('b', 'a')]), [2]);
  assert.deepEqual(differingWalks([walk('a', 'b'), walk('a', 'bc')]), [2]);
  // A path's end is marked: the same characters split differently are another walk.
  assert.deepEqual(differingWalks([walk('ab', 'c'), walk('a', 'bc')]), [2]);
  assert.deepEqual(differingWalks([walk('a', 'b'), walk('a', 'b', 'c')]), [2, 3]);
  assert.match(changedInputsNote([2]), /the same number of inputs under other names/);
});
