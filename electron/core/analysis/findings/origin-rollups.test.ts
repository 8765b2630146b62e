// The stored roll-ups of each origin's addresses, agents and regions (origin-rollups.ts, kept by
// attribution/origin-facets.ts) are its events grouped, across later ingests that bring more events and
// that move events between origins (a key's issue arriving after its calls); and the in-memory order of
// texts is SQLite's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from '../../../../tools/gen/generate.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { filesUnder } from '../../../../test-support/files-under.ts';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { originRollups, WEIGHED_CHARS } from './origin-rollups.ts';
import { binaryOrder } from '../../text-order.ts';
import { agentCallSql } from '../attribution/agent-calls.ts';

const gen = mkdtempSync(join(tmpdir(), 'trailscope-origin-rollups-'));
const c = tempCase('origin-rollups');
after(() => {
  c.cleanup();
  rmSync(gen, { recursive: true, force: true });
});

/** Each weighed origin's events grouped by address, region and agent, straight from the events. */
function fromEvents(db: CaseDb): unknown[] {
  return db.prepare(`SELECT ea.origin, o.kind, f.facet, s.value, min(ea.event_time) AS first, count(*) AS n
    FROM event_actors ea JOIN event_rows e ON e.id = ea.event JOIN origins o ON o.id = ea.origin
      JOIN (SELECT 'ip' AS facet UNION ALL SELECT 'region' UNION ALL SELECT 'ua') f
      JOIN strings s ON s.id = CASE f.facet WHEN 'ip' THEN e.source_ip WHEN 'region' THEN e.aws_region ELSE e.user_agent END
    WHERE s.value <> '' AND o.kind NOT IN ('aws-service', 'aws-account')
    GROUP BY ea.origin, f.facet, s.value ORDER BY ea.origin, f.facet, s.value`).all();
}

/** Each origin's addresses of its SSM agent's calls (attribution/agent-calls.ts), stored and straight from the events. */
function agentAddresses(db: CaseDb): { stored: unknown[]; grouped: unknown[] } {
  return {
    stored: db.prepare(`SELECT origin, value, first_seen, count FROM origin_facet_rows WHERE facet = 'agent-ip' ORDER BY 1, 2`).raw().all(),
    grouped: db.prepare(`SELECT ea.origin, e.source_ip, min(ea.event_time), count(*) FROM event_actors ea JOIN event_rows e ON e.id = ea.event
      WHERE ${agentCallSql('e')} AND e.source_ip IN (SELECT id FROM strings WHERE value <> '') GROUP BY 1, 2 ORDER BY 1, 2`).raw().all(),
  };
}

test('the stored roll-ups are the events grouped, after ingests in parts whose issues arrive after their keys\' calls', async () => {
  await generateAccount({ out: gen, events: 3000, flows: 200, seed: 41, shape: { callsPerKey: 2, lambdas: 2, ciPipelines: 2 } });
  const files = filesUnder(join(gen, 'AWSLogs')).filter((f) => f.includes('/CloudTrail/'));
  // Every third file per part, latest first: calls land before the issue of their key.
  for (const k of [0, 1, 2]) {
    await ingestPaths(c.db, files.filter((_, i) => i % 3 === k).reverse());
    assert.deepEqual(originRollups(c.db), fromEvents(c.db), `after part ${k + 1}`);
    const agent = agentAddresses(c.db);
    assert.deepEqual(agent.stored, agent.grouped, `the agents' addresses after part ${k + 1}`);
  }
  assert.ok(agentAddresses(c.db).stored.length > 0, 'the generated instances\' agents called');
  const rows = originRollups(c.db);
  assert.ok(rows.length > 100 && new Set(rows.map((r) => r.facet)).size === 3, 'addresses, agents and regions of many origins');
});

test('a session\'s calls move to the user behind it when its AssumeRole arrives later, and so do their addresses', () => {
  const A = '111122223333';
  const KEY = 'ASIA3V4QW7ZXOPSK9Q2L';
  const rec = (id: string, time: string, name: string, ip: string, userIdentity: object, extra: object = {}) => ({
    eventVersion: '1.10', eventID: id, eventTime: time, eventSource: name === 'AssumeRole' ? 'sts.amazonaws.com' : 's3.amazonaws.com', eventName: name,
    awsRegion: 'eu-west-1', sourceIPAddress: ip, userAgent: 'aws-cli/2.15', recipientAccountId: A, userIdentity, ...extra,
  });
  const session = { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/Ops/night-job`, accountId: A, accessKeyId: KEY,
    sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/Ops`, accountId: A } } };
  const alice = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, principalId: 'AIDA3V4QW7ZXALICE8R2', userName: 'alice', accessKeyId: 'AKIA3V4QW7ZXALICEK01' };
  const db = memoryCase();
  loadRecords(db, [rec('u1', '2024-06-01T10:00:00Z', 'ListBuckets', '198.51.100.7', session), rec('u2', '2024-06-01T10:01:00Z', 'GetObject', '198.51.100.7', session)]);
  assert.deepEqual(originRollups(db), fromEvents(db));
  const before = originRollups(db).filter((r) => r.value === '198.51.100.7');
  assert.equal(before.length, 1);
  loadRecords(db, [rec('ar1', '2024-06-01T09:59:00Z', 'AssumeRole', '192.0.2.10', alice, {
    requestParameters: { roleArn: `arn:aws:iam::${A}:role/Ops`, roleSessionName: 'night-job' },
    responseElements: { credentials: { accessKeyId: KEY, sessionToken: 't', expiration: 'Jun 1, 2024, 11:00:00 AM' },
      assumedRoleUser: { assumedRoleId: 'AROA3V4QW7ZXOPSROLE5:night-job', arn: `arn:aws:sts::${A}:assumed-role/Ops/night-job` } } })]);
  const after = originRollups(db).filter((r) => r.value === '198.51.100.7');
  assert.deepEqual(after.map((r) => [db.prepare('SELECT label FROM origins WHERE id = ?').pluck().get(r.origin), r.n]), [['user/alice', 2]]);
  assert.notEqual(after[0].origin, before[0].origin, 'the calls moved to another origin');
  assert.deepEqual(originRollups(db), fromEvents(db));
});

test('texts sort in memory as SQLite sorts them (code points, not UTF-16 units)', () => {
  const db = memoryCase();
  const texts = ['b', 'a', '\u{1F600}x', '\uFF21', '\uE000', 'é', 'ab', '', 'A', '\u{10000}'];
  const sqlite = db.prepare(`SELECT value FROM json_each(?) ORDER BY value`).pluck().all(JSON.stringify(texts)) as string[];
  assert.deepEqual([...texts].sort(binaryOrder), sqlite);
  assert.notDeepEqual([...texts].sort(), sqlite, 'the default order differs on these texts');
  db.close();
});

test('an agent padded past WEIGHED_CHARS is weighed by its start: two such agents are two values, each cut to that start', () => {
  const A = '111122223333';
  const user = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/mallory`, accountId: A, accessKeyId: 'AKIA3V4QW7ZXMALLORY1' };
  const agent = (n: number) => `aws-cli/2.15 padded-${n} ${'x'.repeat(200_000)}`;
  const db = memoryCase();
  loadRecords(db, [1, 2, 2].map((n, i) => ({
    eventVersion: '1.10', eventID: `pad-${i}`, eventTime: `2024-06-01T10:0${i}:00Z`, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets',
    awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.7', userAgent: agent(n), recipientAccountId: A, userIdentity: user,
  })));
  const agents = originRollups(db).filter((r) => r.facet === 'ua');
  assert.deepEqual(agents.map((r) => [r.value, r.n]), [[agent(1).slice(0, WEIGHED_CHARS), 1], [agent(2).slice(0, WEIGHED_CHARS), 2]]);
  // The stored values are whole: only what the findings weigh is cut.
  assert.deepEqual(db.prepare("SELECT length(value) FROM strings WHERE value LIKE 'aws-cli/2.15 padded-%' ORDER BY 1").pluck().all(), [agent(1).length, agent(2).length]);
});
