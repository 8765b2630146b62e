// Real records mutated as hostile or broken exports are (test-support/mutated-records.ts), in the three
// layouts CloudTrail arrives in, and real flow log lines with fields replaced, ingested and then asked about through the workbench API as the app
// asks. Every record is read or rejected with a reason, nothing is stored twice, ingesting again
// changes nothing, and no answer fails inside the engine. Before mutation found them, a number past
// any date as eventTime or as a flow's start, and two eventIDs differing in a lone surrogate, each
// failed a whole ingest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPaths } from './pipeline.ts';
import { mutatedFlowLines, mutatedRecords } from '../../../test-support/mutated-records.ts';
import { count, tempCase } from '../../../test-support/temp-case.ts';
import { failedAnswers } from '../../../test-support/ask-every-answer.ts';

const PER_FILE = 150;

for (const seed of [1, 2, 3]) {
  test(`mutated records, seed ${seed}: each read or rejected, none twice, the same again, and every answer given`, { timeout: 180_000 }, async (t) => {
    const c = tempCase(`mutated-${seed}`);
    t.after(() => c.cleanup());
    const input = join(c.dir, 'evidence');
    mkdirSync(input);
    const records = mutatedRecords(seed, 3 * PER_FILE);
    const part = (i: number) => records.slice(i * PER_FILE, (i + 1) * PER_FILE);
    writeFileSync(join(input, 'trail.json'), JSON.stringify({ Records: part(0) }));
    writeFileSync(join(input, 'export.jsonl'), part(1).map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(join(input, 'array.json'), JSON.stringify(part(2)));
    writeFileSync(join(input, 'flows.log'), ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
      ...mutatedFlowLines(seed, PER_FILE)].join('\n'));

    const first = await ingestPaths(c.db, [input]);
    for (const s of first.sources) {
      assert.equal(s.status, 'done', `${s.path}: ${s.reason}`);
      assert.equal(s.records + s.rejectedRecords, PER_FILE, `${s.path}: every record read or rejected`);
      for (const r of s.rejections) assert.ok(r.reason.length > 0 && !r.reason.includes('onerror'), `${s.path}: a reason, never the input`);
    }
    const events = count(c.db, 'event_rows');
    assert.equal(events, count(c.db, 'event_rows', 'id IN (SELECT min(id) FROM event_rows GROUP BY event_id)'), 'no eventID stored twice');
    const flows = first.sources.find((s) => s.path.endsWith('flows.log'))!;
    assert.equal(events, first.sources.reduce((n, s) => n + s.stored, 0) - flows.stored);

    const again = await ingestPaths(c.db, [input]);
    assert.deepEqual(again.sources.map((s) => s.status), ['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    assert.equal(count(c.db, 'event_rows'), events);

    assert.deepEqual(await failedAnswers(c.db, c.path), []);
  });
}
