// The report's findings as an investigator reads them: the intrusion first. A case whose morning holds
// more low findings than the report lists (sign-ins without MFA of a few hundred users) and whose
// intrusion comes in the afternoon still puts the intrusion at the top of the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../test-support/case-fixtures.ts';
import { buildReportModel, REPORT_LIMITS } from './report-model.ts';

const A = '111122223333';

function signIn(i: number) {
  const name = `user${String(i).padStart(4, '0')}`;
  return {
    eventVersion: '1.08', eventID: `signin-${i}`, eventTime: new Date(Date.parse('2025-03-10T06:00:00Z') + i * 20_000).toISOString().replace('.000', ''),
    eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.20', userAgent: 'Mozilla/5.0',
    recipientAccountId: A, eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' },
    additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com/console/home' },
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/${name}`, accountId: A, principalId: `AIDA${String(i).padStart(16, '0')}`, userName: name },
  };
}

const opening = {
  eventVersion: '1.08', eventID: 'open-22', eventTime: '2025-03-10T15:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress',
  awsRegion: 'us-east-1', sourceIPAddress: '185.220.101.34', userAgent: 'aws-cli/2.13.25', recipientAccountId: A,
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/ci`, accountId: A, accessKeyId: 'AKIACI0000000000000A', userName: 'ci' },
  requestParameters: { groupId: 'sg-0123456789abcdef0', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } },
  responseElements: { _return: true },
};

test('the report lists the findings by incident: an afternoon intrusion leads, ahead of a morning of more low findings than it lists', () => {
  const db = memoryCase();
  loadRecords(db, [...Array.from({ length: REPORT_LIMITS.findings + 20 }, (_, i) => signIn(i)), opening]);
  const m = buildReportModel(db, 'memory.case');
  assert.equal(m.findings.length, REPORT_LIMITS.findings);
  assert.match(m.findings[0].title, /^Security group opened to the internet: sg-0123456789abcdef0 ingress tcp\/22 from 0\.0\.0\.0\/0/);
  assert.equal(m.findings[0].incident, 1);
  assert.ok(m.findings.slice(1).every((f) => f.severity === 'low' && f.title.startsWith('Console sign-in without MFA')));
  db.close();
});
