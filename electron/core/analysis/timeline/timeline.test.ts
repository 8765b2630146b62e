import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REAL, loadRecords, memoryCase, readRecords } from '../../../../test-support/case-fixtures.ts';
import { COMMON_WORDS_EVENTS, pageScope, pageSql, timelinePage, timelineScope } from './timeline-query.ts';
import { timelineHistogram } from './timeline-histogram.ts';
import { timeOrder } from '../event-order.ts';
import { ROW_RESOURCES } from '../../../../shared/api/bounds.ts';
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

test('a row lists the first resources of its event in id order, says how many there are past the bound, and names its origin', () => {
  const db = memoryCase();
  const identity = { type: 'IAMUser', principalId: 'AIDAEXAMPLEUSER0001', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333', userName: 'mallory', accessKeyId: 'AKIAIOSFODNN7MALLORY' };
  const call = (eventID: string, minute: number, ids: string[]) => ({
    eventVersion: '1.08', userIdentity: identity, eventTime: `2025-03-01T10:${String(minute).padStart(2, '0')}:00Z`, eventSource: 'ec2.amazonaws.com',
    eventName: 'TerminateInstances', awsRegion: 'eu-west-1', sourceIPAddress: '203.0.113.9', userAgent: 'aws-cli/2',
    requestParameters: { instancesSet: { items: ids.map((instanceId) => ({ instanceId })) } }, responseElements: null,
    eventID, readOnly: false, eventType: 'AwsApiCall', recipientAccountId: '111122223333',
  });
  // Out of id order in the record, and more than a row lists.
  const many = Array.from({ length: 60 }, (_, k) => `i-${(((k * 37) % 60) + 100).toString(16).padStart(17, '0')}`);
  loadRecords(db, [call('c1d1e1f1-0000-4000-8000-000000000001', 1, many), call('c1d1e1f1-0000-4000-8000-000000000002', 2, ['i-0000000000000000c', 'i-0000000000000000a', 'i-0000000000000000b'])]);
  const rows = timelinePage(db, { limit: 10 }).rows;
  assert.equal(rows.length, 2);
  for (const r of rows) {
    const all = db.prepare('SELECT resource_id FROM event_resources WHERE event = ? ORDER BY resource_id').pluck().all(r.id) as string[];
    assert.deepEqual(r.resources, all.slice(0, ROW_RESOURCES), r.eventId);
    assert.equal(r.resourceCount, all.length > ROW_RESOURCES ? all.length : undefined);
    assert.equal(r.origin, 'user/mallory');
  }
  assert.ok(rows[0].resourceCount! >= 60, 'the sixty instances');
  assert.deepEqual(rows[1].resources.filter((id) => id.startsWith('i-')), ['i-0000000000000000a', 'i-0000000000000000b', 'i-0000000000000000c']);
});

test('free text finds events by every word of it, as the index cuts words; no text makes the index refuse a search', () => {
  const db = memoryCase();
  const A = '111122223333';
  const call = (id: string, userName: string, userAgent: string) => ({
    eventVersion: '1.10', eventID: id, eventTime: '2025-03-10T09:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.7', userAgent, recipientAccountId: A,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/${userName}`, accountId: A, principalId: 'AIDA3V4QW7ZXEXAMPLE1', userName },
  });
  loadRecords(db, [
    call('boto', 'ops', 'Boto3/1.34.0 md/Botocore#1.34.0 (Linux;x86_64) exec-env/AWS_Lambda_python3.12'),
    call('cafe', 'café', 'aws-cli/2.15.0'),
    call('kana', 'テスト', 'aws-cli/2.15.0'),
  ]);
  const found = (text: string, query = false) => timelinePage(db, query ? { query: text } : { text }).rows.map((r) => r.eventId).sort();
  // Words the tokenizer cuts in two: each is asked for, in any order.
  assert.deepEqual(found('(Linux;x86_64)'), ['boto']);
  assert.deepEqual(found('x86_64,Linux'), ['boto']);
  assert.deepEqual(found('md/Botocore#1.34.0', true), ['boto']);
  assert.deepEqual(found('linux aws-cli/2.15.0'), []);
  // Letters beyond ASCII, accents folded, composed or not.
  assert.deepEqual(found('café'), ['cafe']);
  assert.deepEqual(found('cafe\u0301'), ['cafe']);
  assert.deepEqual(found('CAFE'), ['cafe']);
  assert.deepEqual(found('arn:aws:iam::111122223333:user/cafe'), ['cafe']);
  assert.deepEqual(found('テスト', true), ['kana']);
  assert.deepEqual(found('aws-cli/2.15.0'), ['cafe', 'kana']);
  // One character of every kind inside a word: marks, symbols, spaces and private use are letters to
  // some tables and separators to others, and a word the index cut in two would be a phrase it refuses.
  for (let cp = 0xa1; cp < 0x30000; cp += 97) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const word = `aws${String.fromCodePoint(cp)}cli`;
    assert.doesNotThrow(() => found(word), `U+${cp.toString(16)}`);
    assert.doesNotThrow(() => found(word, true), `U+${cp.toString(16)} in a query`);
  }
});

test('a word thousands of events hold is read along the time index, a rare one by its events: both pages in the timeline\'s order', () => {
  const db = memoryCase();
  const A = '111122223333';
  const n = COMMON_WORDS_EVENTS + 200;
  // Times in another order than the rows (files are read in any order), many to one second.
  const minute = (k: number) => (k * 7919) % n;
  const records = Array.from({ length: n }, (_, k) => ({
    eventVersion: '1.10', eventID: `e-${String(k).padStart(5, '0')}`, eventTime: new Date(Date.UTC(2025, 2, 10) + Math.floor(minute(k) / 3) * 1000).toISOString(),
    eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.7',
    userAgent: k % 1000 === 0 ? 'rare-tool/1.0' : 'common-tool/1.0', recipientAccountId: A,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/ops`, accountId: A, principalId: 'AIDA3V4QW7ZXEXAMPLE1', userName: 'ops' },
  }));
  loadRecords(db, records);
  const inOrder = (agent: string) => records.filter((r) => r.userAgent === agent)
    .sort((a, b) => a.eventTime.localeCompare(b.eventTime) || (a.eventID < b.eventID ? -1 : 1)).map((r) => r.eventID);
  const pages = (text: string) => {
    const first = timelinePage(db, { text, limit: 40 });
    const second = first.nextCursor ? timelinePage(db, { text, limit: 40, cursor: first.nextCursor }).rows : [];
    return [...first.rows, ...second].map((r) => r.eventId);
  };
  assert.deepEqual(pages('common-tool/1.0'), inOrder('common-tool/1.0').slice(0, 80));
  assert.deepEqual(pages('rare-tool/1.0'), inOrder('rare-tool/1.0'));
  const planOf = (text: string) => {
    const scope = pageScope(db, { text })!;
    return (db.prepare(`EXPLAIN QUERY PLAN ${pageSql(scope, timeOrder(scope.t, scope.idCol), 41, 0, 100)}`).all(...scope.args) as { detail: string }[]).map((r) => r.detail).join('\n');
  };
  assert.match(planOf('common-tool/1.0'), /SEARCH e USING (COVERING )?INDEX event_rows_time/);
  assert.match(planOf('rare-tool/1.0'), /SEARCH e USING INTEGER PRIMARY KEY/);
  // What reads every match (the histogram's counts) looks the common word's events up.
  assert.ok(timelineScope(db, { text: 'common-tool/1.0' }, 'every match')!.where.some((w) => w.startsWith('e.id IN (SELECT rowid FROM events_fts')));
  assert.equal(timelineHistogram(db, { text: 'common-tool/1.0' }, 10).counts.reduce((a, b) => a + b, 0), n - 6);
});
