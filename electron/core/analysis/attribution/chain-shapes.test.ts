// Chains stored as shared shapes (migration 0125) read back exactly as resolved: the keys of one
// session share one shape, and a key or issuing event id that also occurs elsewhere in the chain's
// text (a one-letter event id is found in half its words) comes back unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase } from '../../../../test-support/case-fixtures.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { refreshDerived } from '../refresh-derived.ts';
import { dbChainLookups } from './lookups.ts';
import { resolveChain, type RecordedIdentity } from './resolve-chain.ts';

const A = '111111111111';
const ci = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/ci`, key: 'AKIACIUSER', userName: 'ci' };
const role = `arn:aws:iam::${A}:role/deploy`;
const session = (key: string) => ({ type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/deploy/ASIADEPLOYA`, key, issuer: role, session: 'ASIADEPLOYA' });
const assume = (eventId: string, time: string, key: string) => ({
  eventId, time, name: 'AssumeRole', source: 'sts.amazonaws.com', identity: ci, ip: '203.0.113.5',
  issued: { key, role, session: 'ASIADEPLOYA', issuedArn: `arn:aws:sts::${A}:assumed-role/deploy/ASIADEPLOYA` },
});
/** A key issued by the call `eventId`, then used once. */
const issuedThenUsed = (eventId: string, time: string, key: string, useId: string, useTime: string) => [
  assume(eventId, time, key),
  { eventId: useId, time: useTime, name: 'RunInstances', identity: session(key), ip: '203.0.113.5' },
];

type ReadBack = RecordedIdentity & { key: string; chain: string; shape: number; event: string | null; time: string | null };

/** The deploy keys' actors as readers see them, with what each walk reads of the recorded identity. */
function readBack(db: CaseDb): ReadBack[] {
  return db.prepare(`SELECT a.actor_key AS key, a.chain, r.chain_shape AS shape, a.chain_event AS event, a.chain_time AS time,
      a.access_key_id AS accessKeyId, a.identity_type AS identityType, a.identity_arn AS identityArn, a.identity_account AS identityAccount,
      a.principal_id AS principalId, a.session_issuer_arn AS sessionIssuerArn, a.session_name AS sessionName, a.invoked_by AS invokedBy,
      a.source_identity AS sourceIdentity, a.on_behalf_of AS onBehalfOf, a.first_seen AS firstSeen, a.first_ip AS sourceIp
    FROM actors a JOIN actor_rows r ON r.id = a.id WHERE a.actor_key LIKE 'ASIADEPLOY%' ORDER BY a.actor_key`).all() as ReadBack[];
}

test('the keys of one session share a chain shape, and every chain reads back as resolved', () => {
  const db = memoryCase();
  insertEvents(db, [
    ...issuedThenUsed('e', '2024-05-01T10:00:00Z', 'ASIADEPLOYA', 'u1', '2024-05-01T10:01:00Z'),
    ...issuedThenUsed('0a1b2c3d', '2024-05-01T10:02:00Z', 'ASIADEPLOYB', 'u2', '2024-05-01T10:03:00Z'),
    ...issuedThenUsed('9f8e7d6c', '2024-05-01T10:04:00Z', 'ASIADEPLOYC', 'u3', '2024-05-01T10:05:00Z'),
  ]);
  refreshDerived(db);
  const rows = readBack(db);
  assert.deepEqual(rows.map((r) => r.key), ['ASIADEPLOYA', 'ASIADEPLOYB', 'ASIADEPLOYC']);
  const lookups = dbChainLookups(db);
  for (const r of rows) assert.equal(r.chain, JSON.stringify(resolveChain({ ...r, userName: null }, lookups).chain));
  // The key also names the session (and so the ARN); the first issuing call's id is a single letter.
  assert.ok(rows[0].chain.includes('"eventId":"e"') && rows[0].chain.includes('/ASIADEPLOYA"'));
  assert.deepEqual(rows.map((r) => [r.event, r.time]), [
    ['e', '2024-05-01T10:00:00.000Z'], ['0a1b2c3d', '2024-05-01T10:02:00.000Z'], ['9f8e7d6c', '2024-05-01T10:04:00.000Z'],
  ]);
  // B and C differ only in key, issuing call and time: one shape. A's key is also its session's name, so its own.
  assert.equal(rows[1].shape, rows[2].shape);
  assert.notEqual(rows[0].shape, rows[1].shape);
});

/** Three keys issued by calls whose eventID or time the issuing row gives back plainly, or not (migration 0134). */
const ODD_ISSUES = [
  ...issuedThenUsed('plain-1', '2024-05-01T10:00:00Z', 'ASIADEPLOYP', 'u1', '2024-05-01T10:01:00Z'),
  // An eventID that opens with a quote is found where the caller's key opens in the chain's JSON: it is cut there.
  ...issuedThenUsed('"AKIACIUSER', '2024-05-01T10:02:00Z', 'ASIADEPLOYQ', 'u2', '2024-05-01T10:03:00Z'),
  ...issuedThenUsed('moon-1', '1969-07-20T20:17:40Z', 'ASIADEPLOYM', 'u3', '1969-07-20T20:18:00Z'),
];

test('an actor keeps its issuing call as that call\'s row, and as text only what the row does not give back', () => {
  const db = memoryCase();
  insertEvents(db, ODD_ISSUES);
  refreshDerived(db);
  const stored = db.prepare(`SELECT r.actor_key, e.event_id, r.chain_event, r.chain_time FROM actor_rows r LEFT JOIN event_rows e ON e.id = r.chain_issue
    WHERE r.actor_key LIKE 'ASIADEPLOY%' ORDER BY r.actor_key`).raw().all();
  assert.deepEqual(stored, [
    // Before 1970 SQL does not render a time as toISOString does: it stays text.
    ['ASIADEPLOYM', 'moon-1', null, '1969-07-20T20:17:40.000Z'],
    ['ASIADEPLOYP', 'plain-1', null, null],
    // A quoted eventID stays text, where the index of quoted cut values sees it.
    ['ASIADEPLOYQ', '"AKIACIUSER', '"AKIACIUSER', null],
  ]);
  // Each chain reads back exactly as its walk gives it, with the cut-out values the view shows.
  const lookups = dbChainLookups(db);
  const actors = readBack(db);
  for (const a of actors) assert.equal(a.chain, JSON.stringify(resolveChain({ ...a, userName: null }, lookups).chain), a.key);
  assert.deepEqual(actors.map((a) => [a.event, a.time]), [
    ['moon-1', '1969-07-20T20:17:40.000Z'], ['plain-1', '2024-05-01T10:00:00.000Z'], ['"AKIACIUSER', '2024-05-01T10:02:00.000Z'],
  ]);
});
