// An organisation trail's accounts in one case: names from the records, the account filter in every
// view, and a chain that crosses accounts (a user of the management account in a member's role).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertFlows, loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { caseSummary } from '../../case-info.ts';
import { timelinePage } from '../timeline/timeline-query.ts';
import { timelineHistogram } from '../timeline/timeline-histogram.ts';
import { findings } from '../findings/findings.ts';
import { flowConversations } from '../flows/flows-query.ts';
import { graphAt } from '../graph/graph-at.ts';
import { actorOfEvent } from '../attribution/actor-report.ts';

const MGMT = '111111111111';
const PAY = '222222222222';
const SANDBOX = '333333333333';
const ALICE = `arn:aws:iam::${MGMT}:user/alice`;

let n = 0;
function rec(account: string, time: string, name: string, source: string, identity: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.08', eventID: `ev-${++n}`, eventTime: time, eventName: name, eventSource: source, awsRegion: 'us-east-1',
    recipientAccountId: account, sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0', userIdentity: identity, ...extra,
  };
}
const alice = { type: 'IAMUser', arn: ALICE, accountId: MGMT, principalId: 'AIDAALICE', accessKeyId: 'AKIAALICEEXAMPLE01', userName: 'alice' };
const roleArn = `arn:aws:iam::${PAY}:role/OrganizationAccountAccessRole`;
const session = {
  type: 'AssumedRole', arn: `arn:aws:sts::${PAY}:assumed-role/OrganizationAccountAccessRole/alice`, accountId: PAY, principalId: 'AROAPAY:alice',
  accessKeyId: 'ASIAPAYSESSION0001', sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn, accountId: PAY, userName: 'OrganizationAccountAccessRole' } },
};

function orgCase() {
  const db = memoryCase();
  const mgmt = [
    rec(MGMT, '2025-03-10T10:00:00Z', 'ListAccounts', 'organizations.amazonaws.com', alice, {
      readOnly: true, responseElements: { accounts: [{ id: MGMT, name: 'Management' }, { id: PAY, name: 'Payments Prod' }, { id: SANDBOX, name: 'Sand\u0007box\n' }] },
    }),
    rec(MGMT, '2025-03-10T10:01:00Z', 'CreateUser', 'iam.amazonaws.com', alice, { requestParameters: { userName: 'backdoor' } }),
  ];
  const pay = [
    // The AssumeRole the member account records (the call lands in the role's account), then the session's calls.
    rec(PAY, '2025-03-10T10:02:00Z', 'AssumeRole', 'sts.amazonaws.com', alice, {
      requestParameters: { roleArn, roleSessionName: 'alice' },
      responseElements: { credentials: { accessKeyId: 'ASIAPAYSESSION0001', expiration: 'Mar 10, 2025, 11:02:00 AM' }, assumedRoleUser: { arn: session.arn, assumedRoleId: 'AROAPAY:alice' } },
    }),
    rec(PAY, '2025-03-10T10:03:00Z', 'CreateAccountAlias', 'iam.amazonaws.com', session, { requestParameters: { accountAlias: 'payments-prod' } }),
    rec(PAY, '2025-03-10T10:04:00Z', 'StopLogging', 'cloudtrail.amazonaws.com', session, { requestParameters: { name: 'org-trail' } }),
  ];
  const sandbox = [
    // Refused: an alias that was never made names nothing.
    rec(SANDBOX, '2025-03-10T10:05:00Z', 'CreateAccountAlias', 'iam.amazonaws.com', { ...alice, accountId: SANDBOX, arn: `arn:aws:iam::${SANDBOX}:user/bob` }, {
      requestParameters: { accountAlias: 'never-made' }, errorCode: 'AccessDenied',
    }),
  ];
  loadRecords(db, mgmt, `trail/AWSLogs/o-abcdef1234/${MGMT}/CloudTrail/us-east-1/2025/03/10/a.json.gz`);
  loadRecords(db, pay, `trail/AWSLogs/o-abcdef1234/${PAY}/CloudTrail/us-east-1/2025/03/10/b.json.gz`);
  loadRecords(db, sandbox, 'sandbox-export.json');
  return db;
}

test('case info names each account as the records do: Organizations names, IAM aliases, the organisation of the trail path', () => {
  const info = caseSummary(orgCase(), 'org.case');
  assert.deepEqual(info.accounts, [MGMT, PAY, SANDBOX]);
  assert.deepEqual(info.accountInfo, [
    { id: MGMT, name: 'Management', alias: null, organization: 'o-abcdef1234' },
    { id: PAY, name: 'Payments Prod', alias: 'payments-prod', organization: 'o-abcdef1234' },
    // Control characters of a name are blanked; a refused alias call names nothing; no org path for this file.
    { id: SANDBOX, name: 'Sand box', alias: null, organization: null },
  ]);
});

test('the account filter narrows the timeline and its histogram to the accounts asked for', () => {
  const db = orgCase();
  const rows = timelinePage(db, { accounts: [PAY] }).rows;
  assert.deepEqual(rows.map((r) => r.eventName), ['AssumeRole', 'CreateAccountAlias', 'StopLogging']);
  assert.ok(rows.every((r) => r.accountId === PAY));
  assert.equal(timelinePage(db, { accounts: [PAY, SANDBOX] }).rows.length, 4);
  assert.equal(timelinePage(db, { accounts: ['999999999999'] }).rows.length, 0);
  const h = timelineHistogram(db, { accounts: [MGMT] }, 4);
  assert.equal(h.counts.reduce((a, b) => a + b, 0), 2);
});

test('findings of one account are those whose events are in it', () => {
  const db = orgCase();
  const all = findings(db).findings;
  const kinds = (accounts: string[]) => findings(db, { accounts }).findings.map((f) => f.kind);
  assert.ok(all.length > 0);
  assert.ok(kinds([PAY]).includes('covering-tracks'), `findings of ${PAY}: ${kinds([PAY]).join(', ')}`);
  assert.ok(!kinds([MGMT]).includes('covering-tracks'));
  assert.deepEqual(kinds(['999999999999']), []);
});

test('flows and the graph keep only the chosen accounts', () => {
  const db = orgCase();
  insertFlows(db, [
    { eni: 'eni-0aaa1111', src: '203.0.113.9', dst: '10.0.0.5', srcport: 50000, dstport: 22, start: '2025-03-10T10:00:00Z', account: PAY },
    { eni: 'eni-0bbb2222', src: '203.0.113.10', dst: '10.1.0.5', srcport: 50001, dstport: 443, start: '2025-03-10T10:00:00Z', account: SANDBOX },
  ]);
  assert.deepEqual(flowConversations(db, { accounts: [PAY] }).map((c) => c.interfaceId), ['eni-0aaa1111']);
  assert.equal(flowConversations(db, {}).length, 2);
  const g = graphAt(db, { accounts: [PAY] });
  assert.ok(g.nodes.length > 0);
  for (const node of g.nodes) {
    if (node.account !== null) assert.equal(node.account, PAY, node.id);
    // Addresses carry no account: those left touch a node of the account.
    else assert.ok(g.edges.some((e) => (e.source === node.id || e.target === node.id)), `${node.id} is connected`);
  }
  assert.ok(!g.nodes.some((x) => x.id === ALICE), 'the management account user is not a node of the member account');
});

test('a session in a member account resolves across the account boundary to the management account user', () => {
  const db = orgCase();
  const id = db.prepare(`SELECT e.id FROM events e WHERE e.event_name = 'StopLogging'`).pluck().get() as number;
  const actor = actorOfEvent(db, id);
  assert.ok(actor, 'the StopLogging has an actor');
  assert.equal(actor.origin.id, ALICE, `resolved to ${actor.origin.id} by ${actor.chain.map((l) => l.id).join(' <- ')}`);
});
