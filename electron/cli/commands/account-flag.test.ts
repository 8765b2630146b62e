// `--account` on the commands that read a view of the case, through the service like the app: the
// events, nodes and findings of the accounts given; ids that are not 12 digits are refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords } from '../../../test-support/case-fixtures.ts';
import { tempCase } from '../../../test-support/temp-case.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';

const A = '111111111111';
const B = '222222222222';
const user = (account: string) => ({ type: 'IAMUser', arn: `arn:aws:iam::${account}:user/ops`, accountId: account, principalId: `AIDA${account}`, accessKeyId: `AKIA${account}AB`, userName: 'ops' });
const rec = (i: number, account: string, name: string, source: string, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08', eventID: `acct-flag-${i}`, eventTime: `2025-03-10T10:0${i}:00Z`, eventName: name, eventSource: source, awsRegion: 'us-east-1',
  recipientAccountId: account, sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0', userIdentity: user(account), ...extra,
});

const c = tempCase('account-flag');
loadRecords(c.db, [
  rec(1, A, 'DescribeAccount', 'organizations.amazonaws.com', { readOnly: true, responseElements: { account: { id: B, name: 'Payments' } } }),
  rec(2, A, 'CreateUser', 'iam.amazonaws.com', { requestParameters: { userName: 'x' } }),
  rec(3, B, 'StopLogging', 'cloudtrail.amazonaws.com', { requestParameters: { name: 'main' } }),
  rec(4, B, 'CreateAccountAlias', 'iam.amazonaws.com', { requestParameters: { accountAlias: 'payments-prod' } }),
]);
c.db.close();
test.after(() => c.cleanup());

test('timeline, graph and findings with --account keep that account; info names it', async () => {
  const tl = await runTrailscope(['timeline', '--case', c.path, '--account', B, '--format', 'json']);
  assert.equal(tl.code, 0, tl.err);
  const rows = JSON.parse(tl.out) as { eventName: string; accountId: string }[];
  assert.deepEqual(rows.map((r) => r.eventName), ['StopLogging', 'CreateAccountAlias']);
  const both = await runTrailscope(['timeline', '--case', c.path, '--account', `${A},${B}`, '--format', 'json']);
  assert.equal((JSON.parse(both.out) as unknown[]).length, 4);
  const g = JSON.parse((await runTrailscope(['graph', '--case', c.path, '--account', A, '--json'])).out) as { nodes: { account: string | null }[] };
  assert.ok(g.nodes.some((n) => n.account === A));
  assert.ok(!g.nodes.some((n) => n.account === B));
  const f = (account: string) => runTrailscope(['findings', '--case', c.path, '--account', account, '--json']).then((r) => (JSON.parse(r.out) as { findings: { kind: string }[] }).findings.map((x) => x.kind));
  assert.ok((await f(B)).includes('covering-tracks'));
  assert.ok(!(await f(A)).includes('covering-tracks'));
  const info = await runTrailscope(['info', '--case', c.path]);
  assert.match(info.out, new RegExp(`${B}  Payments  alias payments-prod`));
});

test('an account id that is not 12 digits is a usage error naming it', async () => {
  for (const cmd of ['timeline', 'graph', 'flows', 'findings']) {
    const r = await runTrailscope([cmd, '--case', c.path, '--account', '12345']);
    assert.equal(r.code, 2, `${cmd}: ${r.err}`);
    assert.match(r.err, /--account: '12345' is not a 12-digit account id/);
  }
});
