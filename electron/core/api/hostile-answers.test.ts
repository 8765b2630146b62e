// Thirty records from the attacker's address, each with a user agent of a megabyte (the case
// had 15 MB: bench/hostile-answers.bench.ts runs that size; here the values are 256 times the list
// limit, enough to prove the same paths without a minute of ingest). Ingested with the real pipeline,
// asked through the loopback HTTP server as the browser asks: the timeline page stays small with each
// field's start and full size, event:get is bounded, the full value comes back in chunks equal to the
// original, exports are bounded, and the process survives within generous memory and time ceilings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { openCase } from '../db/open-case.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { openWorkbench } from './open-workbench.ts';
import { startServer, TOKEN_HEADER } from '../../server/http-server.ts';
import { timelinePage } from '../analysis/timeline/timeline-query.ts';
import { DETAIL_FIELD_CHARS, LIST_FIELD_CHARS, utf8Bytes } from '../../../shared/api/bounds.ts';
import type { EventDetail, ExportResult, FieldChunk, TimelinePage } from '../../../shared/api/types.ts';
import { removeFolder } from '../../../test-support/remove-folder.ts';

const ATTACKER = '198.51.100.66';
const RECORDS = 30;
const AGENT_CHARS = 1024 * 1024;

// Two- and three-byte characters throughout, so chunk edges fall inside characters (four-byte ones are
// in utf8-window.test.ts); no separators, so the full-text index sees one token, not a million.
function agent(i: number): string {
  const unit = `é日abcdefgh${i}`;
  return `Mozilla/5.0 (attacker ${i}) ${unit.repeat(Math.ceil(AGENT_CHARS / unit.length))}`.slice(0, AGENT_CHARS - 1) + '!';
}

function record(i: number, ip: string, userAgent: string) {
  return {
    eventVersion: '1.08',
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    eventTime: `2024-05-01T10:00:${String(i).padStart(2, '0')}Z`,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: ip,
    userAgent,
    readOnly: true,
    recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLEEXAMPLE01' },
  };
}

function post(port: number, token: string, name: string, input: unknown): Promise<{ body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: `/api/${name}`, method: 'POST', headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', [TOKEN_HEADER]: token } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}

test('thirty megabyte user agents from one address: every answer is bounded and the full values come back in chunks', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-hostile-answers-'));
  // The folder goes after the server and the workbench (test-support/remove-folder.ts says why).
  let close = async () => {};
  t.after(async () => {
    await close();
    removeFolder(dir);
  });
  const agents = Array.from({ length: RECORDS }, (_, i) => agent(i));
  const records = [...agents.map((a, i) => record(i, ATTACKER, a)), record(RECORDS, '203.0.113.5', 'aws-cli/2.15.0')];
  const file = join(dir, 'trail.json');
  writeFileSync(file, JSON.stringify({ Records: records }));
  const casePath = join(dir, 'big-agents.case');
  const db = openCase(casePath);
  const summary = await ingestPaths(db, [file]);
  db.close();
  assert.equal(summary.events, RECORDS + 1);

  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Trailscope</title>');
  const workbench = openWorkbench(casePath);
  const server = await startServer({ dispatch: workbench.dispatch, staticDir });
  close = async () => {
    await server.close();
    await workbench.close();
  };
  const ask = async <T>(name: string, input: unknown) => {
    const { body, ms } = await post(server.port, server.token, name, input);
    assert.ok(ms < 20_000, `${name} answered in ${ms.toFixed(0)} ms`);
    const r = JSON.parse(body) as { ok: boolean; value: T; error?: { message: string } };
    assert.ok(r.ok, `${name}: ${r.error?.message}`);
    return { value: r.value, chars: body.length };
  };
  const peakBefore = process.resourceUsage().maxRSS;

  // The timeline filtered on the attacker's address: 30 rows, each agent its start and its size.
  const page = await ask<TimelinePage>('timeline:page', { filter: { ip: ATTACKER, includeReadOnly: true }, limit: 1000 });
  assert.equal(page.value.rows.length, RECORDS);
  assert.equal(page.value.nextCursor, null);
  assert.ok(page.chars < RECORDS * (LIST_FIELD_CHARS * 4 + 2000), `the page is ${page.chars} characters, not ${RECORDS * AGENT_CHARS}`);
  for (const [i, row] of page.value.rows.entries()) {
    assert.equal(row.clipped?.userAgent, utf8Bytes(agents[i]), 'the full size in bytes');
    assert.ok(agents[i].startsWith(row.userAgent!), 'the start of the value');
    assert.ok([...row.userAgent!].length <= LIST_FIELD_CHARS);
    assert.equal(row.sourceIPAddress, ATTACKER);
    assert.equal(row.clipped?.sourceIPAddress, undefined, 'short fields are whole');
  }

  // The details view: the row and the raw record keep DETAIL_FIELD_CHARS, the cut string is listed.
  const target = page.value.rows[7];
  const detail = await ask<EventDetail>('event:get', { id: target.id });
  assert.ok(detail.chars < 4 * DETAIL_FIELD_CHARS * 4, `event:get is ${detail.chars} characters`);
  assert.equal(detail.value.row.clipped?.userAgent, utf8Bytes(agents[7]));
  assert.deepEqual(detail.value.clippedPaths, [{ path: ['userAgent'], bytes: utf8Bytes(agents[7]) }]);
  assert.match(detail.value.raw, /"eventName": "DescribeInstances"/);
  assert.match(detail.value.raw, /… \(\d{1,3}(,\d{3})+ bytes\)/);
  assert.ok(detail.value.rawBytes > AGENT_CHARS);

  // "Show all": the row field in chunks (small ones, edges inside characters), then the raw record's
  // string by its path; each rebuilds the original exactly.
  for (const [how, source] of [['row field', { field: 'userAgent' }], ['raw path', { path: ['userAgent'] }]] as const) {
    const parts: string[] = [];
    let offset = 0;
    let total = Infinity;
    let calls = 0;
    while (offset < total) {
      const chunk = await ask<FieldChunk>('event:field', { id: target.id, ...source, offset, length: 100_003 });
      assert.ok(chunk.value.nextOffset > offset, `${how}: progress at ${offset}`);
      assert.ok(chunk.chars < 2 * 100_003, `${how}: a chunk is bounded`);
      parts.push(chunk.value.text);
      offset = chunk.value.nextOffset;
      total = chunk.value.total;
      calls++;
    }
    assert.equal(parts.join(''), agents[7], `${how}: the full value, exactly`);
    assert.ok(calls >= Math.ceil(total / 100_003), `${how}: ${calls} chunks of at most 100,003 bytes`);
  }

  // Exports of the same selection: bounded, each cut field with its size.
  for (const format of ['csv', 'jsonl', 'markdown']) {
    const e = await ask<ExportResult>('export:timeline', { filter: { ip: ATTACKER, includeReadOnly: true }, format });
    assert.equal(e.value.rows, RECORDS, format);
    assert.equal(e.value.truncated, false);
    assert.ok(e.value.content.length < RECORDS * (LIST_FIELD_CHARS * 3 + 2000), `${format} export is ${e.value.content.length} characters`);
    if (format === 'csv') assert.equal(e.value.content.match(/… \([\d,]+ bytes\)"/g)?.length, RECORDS, 'each agent notes its size');
    if (format === 'markdown') assert.equal(e.value.content.split('\n').filter((l) => l.startsWith('| 2024')).length, RECORDS);
    if (format === 'jsonl') {
      const first = JSON.parse(e.value.content.split('\n')[0]) as { user_agent: string; clipped_bytes: Record<string, number> };
      assert.deepEqual(first.clipped_bytes, { user_agent: utf8Bytes(agents[0]) });
      assert.ok(agents[0].startsWith(first.user_agent));
    }
  }

  // The process survived every answer, and answering grew its peak memory by far less than the agents'
  // own size times a few (measured: about 100 MB, most of it the raw block inflated by event:get).
  const grown = (process.resourceUsage().maxRSS - peakBefore) / 1024;
  assert.ok(grown < 600, `peak memory grew ${grown.toFixed(0)} MB while answering`);
});

test('a timeline page ends at its size budget and the next page carries on from the last row sent', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-page-budget-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'trail.json');
  // Small values and a small budget passed as an option: the same rule as 4 MB pages of big values.
  writeFileSync(file, JSON.stringify({ Records: Array.from({ length: 12 }, (_, i) => record(i, ATTACKER, `agent-${i}-${'x'.repeat(3000)}`)) }));
  const db = openCase(join(dir, 'budget.case'));
  t.after(() => db.close());
  await ingestPaths(db, [file]);
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = timelinePage(db, { ip: ATTACKER, limit: 100, cursor, maxChars: 8_000, fieldChars: 5_000 });
    assert.ok(page.rows.length >= 1 && page.rows.length <= 3, `${page.rows.length} rows fit 8,000 characters`);
    seen.push(...page.rows.map((r) => r.eventId));
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  assert.equal(seen.length, 12, 'every row once');
  assert.equal(new Set(seen).size, 12);
  assert.ok(pages >= 4);
});
