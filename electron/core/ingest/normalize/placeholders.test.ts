// What counts as a placeholder, on the values the shared real samples actually carry, and what the
// normalizer does with one: the record keeps it, the linking columns do not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeCloudTrailRecord } from './normalize-cloudtrail.ts';
import { isPlaceholderAccount, isPlaceholderArn, isPlaceholderEventId, isPlaceholderKey, isPlaceholderPrincipalId, isPlaceholderText } from './placeholders.ts';
import { allStratusRecords, pantherEvents } from '../../../../test-support/real-samples.ts';

describe('placeholders', () => {
  it('masked, redacted and documentation keys are placeholders; keys of the samples and tests are not', () => {
    const masked = [
      'AKIA****************', 'ASIA****', 'AKIA…', '...', 'HIDDEN_DUE_TO_SECURITY_REASONS', '[REDACTED]', 'XXXXXXXXXXXXXXXXXXXXX',
      'ASIAXXXXXXXXXXXX', 'ASIAXXXXNLMHSP3MFXX', 'ASIAWDWBPTM3RJH7XXXX', 'AKIAIOSFODNN7EXAMPLE', 'ASIA123456789EXAMPLE', 'EXAMPLEKEY',
      'SAMPLE_ACCESS_KEY', 'ASIA-MOCKACCESSKEYID-1', '1', '1111', 'AAAAAAAAAAAAAAAAAAAAA', 'BBBBBBBBBBBBBBBBBBBBB', ' ', '',
    ];
    for (const k of masked) assert.ok(isPlaceholderKey(k), k);
    // Anonymized but distinct keys (stratus, panther), and keys Trailscope's own tests use, still link.
    for (const k of ['AKIAW9X2Q2U25SK79UCX', 'ASIANQQHHS551LWULIWD', 'ASIAFFA5AFEC02FFCD8ED', 'AKIAALICE0000000000A', 'ASIAONE', 'AKIAXSSXSSXSSXSSXSS1', 'AKIAFAKE000000000001']) {
      assert.ok(!isPlaceholderKey(k), k);
    }
  });

  it('accounts, ARNs, principal ids and event ids', () => {
    for (const a of ['000000000000', 'XXXXXXXXXXXX', '************', '...']) assert.ok(isPlaceholderAccount(a), a);
    // The documentation's example accounts name the one account of a sample set: not placeholders.
    for (const a of ['123456789012', '111122223333', '000000012345']) assert.ok(!isPlaceholderAccount(a), a);
    for (const arn of ['arn:aws:iam::000000000000:root', 'arn:aws:iam::XXXXXXXXXXXX:user/bob', 'arn:aws:iam::123456789012:user/...', 'arn:aws:sts::123456789012:assumed-role/HIDDEN_DUE_TO_SECURITY_REASONS/x']) {
      assert.ok(isPlaceholderArn(arn), arn);
    }
    for (const arn of ['arn:aws:iam::123456789012:user/alice', 'arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:s3:::bucket/key']) assert.ok(!isPlaceholderArn(arn), arn);
    for (const p of ['AIDACKCEVSQ6C2EXAMPLE', 'AROAXXXXXXXXXXXXXXXXX:example.user', 'AROAIZCYMDBM4SJU6XXXX:ryan@example.com']) assert.ok(isPlaceholderPrincipalId(p), p);
    assert.ok(!isPlaceholderPrincipalId('AROAQ4OPSROLE7Q2ZKPB:alice-ops'));
    for (const id of ['...', '1', '1111', 'EXAMPLE-1234-5678-9012-EXAMPLE']) assert.ok(isPlaceholderEventId(id), id);
    assert.ok(!isPlaceholderEventId('2bfd4ee2-2178-4a82-a27d-b12939923f0f'));
    for (const t of ['alice', 'x', 'ec2.amazonaws.com', 'AWS Internal', '203.0.113.7', 'botocore-session-1712345678']) assert.ok(!isPlaceholderText(t), t);
  });

  it('the normalizer keeps placeholders out of every linking column; the record is untouched', () => {
    const record = {
      eventVersion: '1.08', eventID: '...', eventTime: '2024-05-01T10:00:00Z', eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole',
      recipientAccountId: '000000000000', sourceIPAddress: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      userIdentity: { type: 'IAMUser', principalId: 'AIDAXXXXXXXXXXXXXXXXX', arn: 'arn:aws:iam::000000000000:user/alice', accountId: '000000000000', accessKeyId: 'AKIA****************', userName: 'alice' },
      requestParameters: { roleArn: 'arn:aws:iam::123456789012:role/ops', roleSessionName: '...' },
      responseElements: { credentials: { accessKeyId: 'ASIA****************', expiration: 'May 1, 2024, 11:00:00 AM' }, assumedRoleUser: { arn: 'arn:aws:sts::123456789012:assumed-role/ops/...' } },
    };
    const before = structuredClone(record);
    const res = normalizeCloudTrailRecord(record);
    assert.ok(res.ok);
    const e = res.value;
    assert.deepEqual(record, before, 'the record as seen is what the case stores');
    assert.equal(e.eventIdDerived, true, 'a placeholder eventID would fold distinct records together');
    assert.deepEqual(
      [e.accountId, e.identityAccount, e.identityArn, e.principalId, e.accessKeyId, e.sourceIp],
      [null, null, null, null, null, null],
    );
    assert.equal(e.userName, 'alice');
    assert.deepEqual(e.issuedCredentials, [], 'a masked key in the response issues nothing');
  });

  it('real samples: no linking column holds a placeholder', () => {
    const samples = [...pantherEvents(), ...allStratusRecords()];
    let seen = 0;
    for (const { file, record } of samples) {
      const res = normalizeCloudTrailRecord(record);
      if (!res.ok) continue;
      const e = res.value;
      const raw = JSON.stringify(record);
      if (/\*{4}|XXXX|EXAMPLE|HIDDEN_DUE|"\.\.\."/.test(raw)) seen++;
      if (e.accessKeyId) assert.ok(!isPlaceholderKey(e.accessKeyId), `${file}: ${e.accessKeyId}`);
      if (e.identityArn) assert.ok(!isPlaceholderArn(e.identityArn), `${file}: ${e.identityArn}`);
      if (e.principalId) assert.ok(!isPlaceholderPrincipalId(e.principalId), `${file}: ${e.principalId}`);
      for (const c of e.issuedCredentials) assert.ok(!isPlaceholderKey(c.accessKeyId), `${file}: issued ${c.accessKeyId}`);
    }
    assert.ok(seen > 50, `the samples carry placeholders (${seen} records)`);
  });
});
