// The issue of a role session that most likely gave a key no recorded call issued: of those live at the
// key's first use, the one from the use's address, then with the agent of the session's first call, then
// the newest; the same whether the session's addresses and agents are listed or too many to list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase, type TestEvent } from '../../../../test-support/case-fixtures.ts';
import { sessionIssueChooser } from './session-issues.ts';

const A = '111111111111';
const SESSION = `arn:aws:sts::${A}:assumed-role/deploy/nightly`;
const user = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/ci`, key: 'AKIACI0000000000', userName: 'ci' };

/** Issues every ten minutes from 10:00, each living an hour, from three addresses and two agents in turn; and the session's own calls. */
function busySession() {
  const db = memoryCase();
  const events: TestEvent[] = [];
  for (let n = 0; n < 24; n++) {
    events.push({ eventId: `issue-${n}`, time: new Date(Date.UTC(2024, 4, 1, 10, 10 * n)).toISOString(), name: 'AssumeRole', source: 'sts.amazonaws.com',
      identity: user, ip: `203.0.113.${n % 3}`, ua: n % 2 ? 'Boto3/1.34' : 'aws-cli/2.15.0',
      issued: { key: `ASIA${String(n).padStart(16, '0')}`, role: `arn:aws:iam::${A}:role/deploy`, session: 'nightly', issuedArn: SESSION } });
  }
  // The session's first call at 12:35, made with Boto3.
  events.push({ eventId: 'use', time: '2024-05-01T12:35:00.000Z', name: 'ListBuckets', source: 's3.amazonaws.com', ip: '198.51.100.7', ua: 'Boto3/1.34',
    identity: { type: 'AssumedRole', arn: SESSION, key: 'ASIAUNISSUED00000001' } });
  insertEvents(db, events);
  return db;
}

for (const listed of [10_000, 0]) {
  test(`the live issue from the use's address, then with its agent, then the newest (${listed ? 'addresses and agents listed' : 'too many to list'})`, () => {
    const choose = sessionIssueChooser(busySession(), listed);
    const at = Date.parse('2024-05-01T12:35:00Z');
    // Live at 12:35: the issues of 11:40 to 12:30 (n = 10 to 15, row n + 1), Boto3's the odd ones.
    // From 203.0.113.0: 12 and 15; 15 with Boto3 too.
    assert.deepEqual(choose(SESSION, at, '203.0.113.0'), { rowid: 16, ipMatched: true, agentMatched: true });
    // From 203.0.113.2: 11 (Boto3) and 14 (the newer, without): the agent decides.
    assert.deepEqual(choose(SESSION, at, '203.0.113.2'), { rowid: 12, ipMatched: true, agentMatched: true });
    // An address none of them has: the newest with the first call's agent.
    assert.deepEqual(choose(SESSION, at, '192.0.2.1'), { rowid: 16, ipMatched: false, agentMatched: true });
    // No address: the same.
    assert.deepEqual(choose(SESSION, at, null), { rowid: 16, ipMatched: false, agentMatched: true });
    // A time no issue is live at, and a session with none.
    assert.equal(choose(SESSION, Date.parse('2024-05-01T20:00:00Z'), '203.0.113.0'), undefined);
    assert.equal(choose(`arn:aws:sts::${A}:assumed-role/deploy/other`, at, null), undefined);
    // A use whose time is not known: any issue, from the address, the newest (n = 21, 13:30); no agent is known.
    assert.deepEqual(choose(SESSION, null, '203.0.113.0'), { rowid: 22, ipMatched: true, agentMatched: false });
  });
}
