// Origins named so an investigator can tell them apart: in an organisation's case each account has its
// own user/ci-deployer, and one account's must not read as another's, in the incidents, the findings'
// actors and titles, the timeline and the search alike (attribution/origin-label.ts, recorded-names.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase, type TestEvent } from '../../../../test-support/case-fixtures.ts';
import { refreshDerived } from '../refresh-derived.ts';
import { timelinePage } from '../timeline/timeline-query.ts';
import { search } from '../search/search.ts';
import { findings as computeFindings } from './findings.ts';
import { recordedName } from './recorded-names.ts';

const ORG = ['111122223333', '192666905715'];

function orgCase() {
  const db = memoryCase();
  const events: TestEvent[] = [];
  // Each account's ci-deployer reads a SecureString parameter at noon, after a morning of deploys; one
  // account's alice signs in. Two users named alike in two accounts, one user named alone.
  ORG.forEach((account, a) => {
    for (let h = 0; h < 12; h++) {
      events.push({ eventId: `d-${a}-${h}`, time: `2025-03-10T${String(h).padStart(2, '0')}:00:00Z`, name: 'DescribeInstances', account,
        identity: { type: 'IAMUser', arn: `arn:aws:iam::${account}:user/ci-deployer`, account, key: `AKIACIDEPLOYER000${a}00` }, ip: '52.44.10.118' });
    }
    events.push({ eventId: `p-${a}`, time: '2025-03-10T20:00:00Z', name: 'GetParameter', source: 'ssm.amazonaws.com', account,
      identity: { type: 'IAMUser', arn: `arn:aws:iam::${account}:user/ci-deployer`, account, key: `AKIACIDEPLOYER000${a}00` }, ip: '52.44.10.118',
      raw: { requestParameters: { name: '/production/db-password', withDecryption: true } } });
  });
  events.push({ eventId: 'alice', time: '2025-03-10T09:00:00Z', name: 'ListBuckets', source: 's3.amazonaws.com', account: ORG[0],
    identity: { type: 'IAMUser', arn: `arn:aws:iam::${ORG[0]}:user/alice`, account: ORG[0], key: 'AKIAALICE00000000000' } });
  insertEvents(db, events);
  refreshDerived(db);
  return db;
}

test('an origin another account\'s origin shares a label with is named with its account, in incidents, actors, the timeline and the search', () => {
  const db = orgCase();
  const { findings, incidents } = computeFindings(db);
  const read = findings.filter((f) => f.eventNames.includes('GetParameter'));
  assert.deepEqual(read.map((f) => f.actor?.origin.label).sort(), ORG.map((a) => `user/ci-deployer (account ${a})`));
  assert.deepEqual(read.map((f) => /by (.*)$/.exec(f.title)?.[1]).sort(), ORG.map((a) => `user/ci-deployer (account ${a})`), 'the title names whose identity called');
  assert.equal(recordedName(db, `arn:aws:iam::${ORG[0]}:user/alice`), 'user/alice', 'a name one account bears stays as it is');
  assert.deepEqual(incidents!.filter((i) => i.label.startsWith('user/ci-deployer')).map((i) => i.label).sort(), ORG.map((a) => `user/ci-deployer (account ${a})`));
  assert.ok(incidents!.every((i) => i.summary.startsWith(`${i.label}: `)));
  const rows = timelinePage(db, { limit: 100 }).rows;
  assert.equal(rows.find((r) => r.eventId === 'p-1')?.origin, `user/ci-deployer (account ${ORG[1]})`);
  assert.equal(rows.find((r) => r.eventId === 'alice')?.origin, 'user/alice', 'a label no other account has stays as it is');
  assert.deepEqual(search(db, 'user/ci-deployer').filter((h) => h.detail?.startsWith('resolved origin')).map((h) => h.label).sort(),
    ORG.map((a) => `user/ci-deployer (account ${a})`), 'searched by its label, shown with its account');
});
