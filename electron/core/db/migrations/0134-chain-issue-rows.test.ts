// Migration 134 on a case of the previous version: every actor's issuing eventID and time move from text
// to the issuing call's row, the chains and cut-out values read back as they were, and the texts the
// row cannot give back (a time before 1970, an eventID no row holds) stay text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCase, type CaseDb } from '../open-case.ts';
import { insertEvents, type TestEvent } from '../../../../test-support/case-fixtures.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { chainCutsAsText } from '../../../../test-support/chain-cuts-as-text.ts';
import { schemaAt } from '../../../../test-support/schema-at.ts';
import { refreshDerived } from '../../analysis/refresh-derived.ts';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/web`;
const ec2 = { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' };

/** EC2 issues a key to an instance's role session and the key makes one call. */
function issuedAndUsed(n: number, time: string): TestEvent[] {
  const key = `ASIA${String(n).padStart(16, '0')}`;
  const arn = `arn:aws:sts::${A}:assumed-role/web/i-0abc`;
  return [
    { eventId: `issue-${n}`, time, name: 'AssumeRole', source: 'sts.amazonaws.com', identity: ec2, ip: 'ec2.amazonaws.com',
      issued: { key, role: ROLE, session: 'i-0abc', issuedArn: arn, callerType: 'AWSService' } },
    { eventId: `use-${n}`, time, name: 'DescribeInstances', ip: '10.0.0.5', identity: { type: 'AssumedRole', arn, key, issuer: ROLE, session: 'i-0abc' } },
  ];
}

const readers = (db: CaseDb) => db.prepare('SELECT actor_key, chain, chain_event, chain_time FROM actors ORDER BY actor_key').raw().all();
const stored = (db: CaseDb) => db.prepare(`SELECT r.actor_key, e.event_id, r.chain_event, r.chain_time FROM actor_rows r
  LEFT JOIN event_rows e ON e.id = r.chain_issue WHERE r.actor_key LIKE 'ASIA%' ORDER BY r.actor_key`).raw().all();

test('a version 133 case keeps every chain as it was, its issuing calls as rows', (t) => {
  const c = tempCase('migration-134');
  t.after(() => c.cleanup());
  insertEvents(c.db, [...issuedAndUsed(1, '2025-03-10T07:41:43Z'), ...issuedAndUsed(2, '2025-03-10T07:41:44.123Z'), ...issuedAndUsed(3, '1969-12-31T23:59:59.999Z'),
    ...issuedAndUsed(4, '2025-03-10T08:00:00Z')]);
  refreshDerived(c.db);
  const before = readers(c.db);
  // The same case as version 133 left it: eventID and time as text on every actor; the fourth key's
  // issuing eventID names no row of the case (a case whose row was since replaced: it must stay text).
  chainCutsAsText(c.db);
  c.db.exec(`UPDATE actor_rows SET chain_event = 'gone' WHERE actor_key = 'ASIA0000000000000004'`);
  schemaAt(c.db, 133);
  const at133 = c.db.prepare('SELECT actor_key, chain_event, chain_time FROM actor_rows WHERE actor_key LIKE \'ASIA%\' ORDER BY actor_key').raw().all();
  assert.deepEqual(at133, [
    ['ASIA0000000000000001', 'issue-1', '2025-03-10T07:41:43.000Z'], ['ASIA0000000000000002', 'issue-2', '2025-03-10T07:41:44.123Z'],
    ['ASIA0000000000000003', 'issue-3', '1969-12-31T23:59:59.999Z'], ['ASIA0000000000000004', 'gone', '2025-03-10T08:00:00.000Z'],
  ]);
  const chainsAt133 = c.db.prepare('SELECT actor_key, chain FROM actors ORDER BY actor_key').raw().all();
  c.db.pragma('user_version = 133');
  c.db.close();

  const db = openCase(c.path);
  t.after(() => db.close());
  assert.deepEqual(db.prepare('SELECT actor_key, chain FROM actors ORDER BY actor_key').raw().all(), chainsAt133);
  assert.deepEqual(readers(db).filter((r) => (r as string[])[0] !== 'ASIA0000000000000004'), before.filter((r) => (r as string[])[0] !== 'ASIA0000000000000004'));
  assert.deepEqual(stored(db), [
    ['ASIA0000000000000001', 'issue-1', null, null], ['ASIA0000000000000002', 'issue-2', null, null],
    ['ASIA0000000000000003', 'issue-3', null, '1969-12-31T23:59:59.999Z'], ['ASIA0000000000000004', null, 'gone', '2025-03-10T08:00:00.000Z'],
  ]);
});
