import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REAL, loadRecords, memoryCase, readRecords } from '../../../../test-support/case-fixtures.ts';
import { timelinePage } from './timeline-query.ts';
import { exportTimeline } from '../../api/export-timeline.ts';
import { csvCell, mdCell } from '../../export/timeline-formats.ts';

function stealCase() {
  const db = memoryCase();
  loadRecords(db, readRecords(`${REAL}stratus-red-team/aws.credential-access.ec2-steal-instance-credentials.json`));
  return db;
}

test('pages walk the whole timeline in time order without gaps or repeats', () => {
  const db = stealCase();
  const total = (db.prepare('SELECT count(*) FROM events').pluck().get() as number);
  const seen: string[] = [];
  let cursor: string | null = null;
  let last = '';
  do {
    const page = timelinePage(db, { limit: 7, cursor });
    for (const r of page.rows) {
      assert.ok(r.eventTime >= last, 'time order');
      last = r.eventTime;
      seen.push(r.eventId);
    }
    cursor = page.nextCursor;
  } while (cursor);
  assert.equal(seen.length, total);
  assert.equal(new Set(seen).size, total);
});

test('filters: actor by key and by origin, event name, text', () => {
  const db = stealCase();
  const byKey = timelinePage(db, { actor: 'ASIAP5CT9NN8EYVU1FXV' });
  assert.deepEqual(byKey.rows.map((r) => r.eventName), ['GetCallerIdentity', 'DescribeInstances']);
  assert.equal(byKey.rows[0].originKind, 'instance');
  const byInstance = timelinePage(db, { actor: 'i-786a3A8B5C0d92eF4' });
  assert.equal(byInstance.rows.length, 2);
  const sends = timelinePage(db, { eventName: 'SendCommand' });
  assert.equal(sends.rows.length, 1);
  assert.equal(sends.rows[0].origin, 'user/christophe');
  const text = timelinePage(db, { text: 'SendCommand "unbalanced' });
  assert.equal(text.rows.length, 0); // quoted words, no FTS syntax error
  const window = timelinePage(db, { from: '2024-08-02T08:23:55Z', to: '2024-08-02T08:23:55Z' });
  assert.deepEqual(window.rows.map((r) => r.eventName), ['GetCallerIdentity']);
});

test('CSV cells cannot become formulas; Markdown cells cannot break the table', () => {
  assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvCell('-2+3'), `"'-2+3"`);
  assert.equal(csvCell('@SUM(A1)'), `"'@SUM(A1)"`);
  // Every cell is quoted, so a `;`-splitting spreadsheet cannot cut `aws-cli;=1+1` into a formula.
  assert.equal(csvCell('aws-cli/2.0'), '"aws-cli/2.0"');
  assert.equal(csvCell('aws-cli;=1+1'), '"aws-cli;=1+1"');
  assert.equal(mdCell('a|b\n<script>`x`'), 'a\\|b &lt;script&gt;\\`x\\`');
});

test('JSONL export carries the Timesketch fields on every line', async () => {
  const db = stealCase();
  const { content, rows } = exportTimeline(db, { includeReadOnly: true }, 'jsonl');
  const lines = content.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(rows > 0);
  assert.equal(lines.length, rows);
  for (const l of lines) {
    assert.equal(typeof l.message, 'string');
    assert.ok(!Number.isNaN(Date.parse(l.datetime)));
    assert.equal(l.timestamp_desc, 'Event Time');
  }
});
