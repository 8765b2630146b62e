// Detector findings are as hostile as any input: every text is cut and cleaned, times and severities
// outside their range reject the finding (not the file), placeholders never become links, lists and
// links are capped, a huge finding is not kept whole, and a huge file is streamed. (Security Lake's
// Parquet: parquet-source.test.ts.)
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { prepareFindings } from '../../prepare-batch.ts';
import { readInput, refusalOf } from '../../../../../test-support/read-input.ts';
import { MAX_RAW, MAX_TITLE } from '../../normalize/detectors/detector-fields.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-detectors-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function read(name: string, content: string | Buffer) {
  const path = join(dir, name);
  await writeFile(path, content);
  const { kind, batches } = await readInput(path);
  const found = batches.flatMap((b) => (b.type === 'findings' ? b.findings : []));
  return { kind, ...prepareFindings(found, batches.flatMap((b) => (b.type === 'findings' ? b.rejected : []))) };
}

const refusal = (name: string, content: string | Buffer) => refusalOf(() => read(name, content), name);

/** A GuardDuty finding (camelCase, as EventBridge and the S3 export write it) with fields replaced. */
function guardDuty(over: Record<string, unknown> = {}, keyDetails: Record<string, unknown> = {}) {
  return {
    schemaVersion: '2.0', accountId: '111122223333', region: 'eu-west-1', id: 'f00d', type: 'Recon:IAMUser/UserPermissions',
    resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: 'AKIAQ4ALICEKEY7Q2ZKP', userName: 'alice', userType: 'IAMUser', ...keyDetails } },
    service: { serviceName: 'guardduty', eventFirstSeen: '2024-06-03T10:00:00Z', eventLastSeen: '2024-06-03T10:30:00Z' },
    severity: 5, createdAt: '2024-06-03T10:35:00Z', updatedAt: '2024-06-03T10:35:00Z', title: 'title', ...over,
  };
}

describe('hostile detector findings', () => {
  it('texts are cut and stripped of control and direction characters', async () => {
    const r = await read('long.json', JSON.stringify(guardDuty({ title: `\u202eevil\u0007${'A'.repeat(1_000_000)}`, description: 'line\nbreak\u2028here' })));
    const f = r.rows[0];
    assert.equal(f.title.length, MAX_TITLE);
    assert.ok(f.title.startsWith('evil A'));
    assert.equal(f.description, 'line break here');
  });

  it('a severity or time out of range rejects that finding with its reason; the others stand', async () => {
    const lines = [
      guardDuty({ id: 'a', severity: 'NaN' }),
      guardDuty({ id: 'b', severity: 1e308 }),
      guardDuty({ id: 'c', createdAt: '9999-01-01T00:00:00Z', updatedAt: -5, service: { eventFirstSeen: 'soon' } }),
      guardDuty({ id: 42 }),
      guardDuty({ id: 'ok' }),
    ];
    const r = await read('mixed.jsonl', lines.map((l) => JSON.stringify(l)).join('\n'));
    assert.deepEqual(r.rows.map((f) => f.findingUid), ['42', 'ok']);
    assert.deepEqual(r.rejected.map((x) => [x.position, x.reason.split(' (')[0]]), [
      ['line 1', 'GuardDuty finding without a severity between 0 and 10'],
      ['line 2', 'GuardDuty finding without a severity between 0 and 10'],
      ['line 3', 'GuardDuty finding without a readable time'],
    ]);
  });

  it('placeholders and samples never become links: masked keys, GuardDuty sample values, all-zero accounts, malformed addresses', async () => {
    const r = await read('masked.json', JSON.stringify({ Findings: [
      guardDuty({ id: 'm1' }, { accessKeyId: 'AKIA****************', principalId: 'GeneratedFindingPrincipalId', userName: 'GeneratedFindingUserName' }),
      guardDuty({ id: 'm2', accountId: '000000000000', service: { eventFirstSeen: '2024-06-03T10:00:00Z', action: { awsApiCallAction: { api: '...', remoteIpDetails: { ipAddressV4: '999.1.1.1' } } } } }, { accessKeyId: 'HIDDEN_DUE_TO_SECURITY_REASONS' }),
    ] }));
    assert.deepEqual(r.rows[0].links, []);
    assert.equal(r.rows[1].accountId, null);
    assert.deepEqual(r.rows[1].links, [{ kind: 'user-name', value: 'alice' }]);
  });

  it('lists and links are capped; a huge finding is kept as a note, its fields still read', async () => {
    const probes = Array.from({ length: 5000 }, (_, i) => ({ remoteIpDetails: { ipAddressV4: `198.51.${(i >> 8) & 255}.${i & 255}` } }));
    const r = await read('probes.json', JSON.stringify(guardDuty({ service: { eventFirstSeen: '2024-06-03T10:00:00Z', action: { portProbeAction: { portProbeDetails: probes } } }, padding: 'x'.repeat(MAX_RAW) })));
    const f = r.rows[0];
    assert.ok(f.links.length <= 100);
    assert.equal(f.links.filter((l) => l.kind === 'address').length, 50);
    assert.match(JSON.parse(f.raw).note, /not kept whole/);
  });

  it('EventBridge envelopes that do not hold what their detail-type says are rejected with a reason', async () => {
    const bad = [
      { 'detail-type': 'GuardDuty Finding', detail: { hello: 1 } },
      { 'detail-type': 'Security Hub Findings - Imported', detail: { findings: [{ Id: 'x' }] } },
      { 'detail-type': 'GuardDuty Finding', detail: guardDuty({ id: 'good' }) },
    ];
    const r = await read('envelopes.json', JSON.stringify(bad));
    assert.deepEqual(r.rows.map((f) => f.findingUid), ['good']);
    assert.deepEqual(r.rejected.map((x) => x.reason), [
      'GuardDuty Finding event whose detail is not a GuardDuty finding',
      'Security Hub Findings - Imported event whose detail.findings is not a list of ASFF findings',
    ]);
  });

  it('OCSF records: a non-numeric class, a class that is not a finding, a finding without uid', async () => {
    const lines = [
      { class_uid: '9'.repeat(400), metadata: {} },
      { class_uid: 3002, metadata: { product: { name: 'x' } } },
      { class_uid: 2004, metadata: {}, severity_id: 4, time: 1717409700000, finding_info: {} },
      { class_uid: 2004, metadata: {}, severity_id: 99, time: 1717409700000, finding_info: { uid: 'u' } },
      { class_uid: 2004, metadata: {}, severity_id: 5, time: 1717409700000, finding_info: { uid: 'kept', title: 'ok' } },
    ];
    const r = await read('ocsf.jsonl', lines.map((l) => JSON.stringify(l)).join('\n'));
    assert.deepEqual(r.rows.map((f) => [f.findingUid, f.severity]), [['kept', 'critical']]);
    assert.deepEqual(r.rejected.map((x) => x.reason.split(' (')[0]), [
      'OCSF record of class not a number, not a finding',
      'OCSF record of class 3002, not a finding',
      'OCSF finding without finding_info.uid',
      'OCSF finding without a severity_id from 1 to 6',
    ]);
  });

  it('a findings list of anything else is refused; an empty one says so', async () => {
    assert.match(await refusal('zeros.json', JSON.stringify({ Findings: [0, 0, 0] })), /^unrecognized JSON document/);
    assert.equal(await refusal('empty.json', '{"Findings": []}'), 'findings document with no findings');
  });

  it('a findings file over the in-memory limit is streamed finding by finding', async () => {
    const many = Array.from({ length: 6000 }, (_, i) => guardDuty({ id: `f${i}`, description: 'd'.repeat(800) }));
    const r = await read('big.json', JSON.stringify({ Findings: many }));
    assert.equal(r.kind, 'findings:guardduty');
    assert.equal(r.rows.length, 6000);
    assert.equal(r.rejected.length, 0);
  });

  it('bare arrays: OCSF findings (as an Athena JSON result), ASFF findings (BatchImportFindings input)', async () => {
    const ocsf = { class_uid: 2004, metadata: { product: { name: 'GuardDuty' } }, severity_id: 3, time: 1717409700000, finding_info: { uid: 'o1', title: 'x' } };
    const r = await read('ocsf-array.json', JSON.stringify([ocsf, { ...ocsf, finding_info: { uid: 'o2' } }]));
    assert.equal(r.kind, 'findings:ocsf');
    assert.deepEqual(r.rows.map((f) => f.findingUid), ['o1', 'o2']);
    const asff = { SchemaVersion: '2018-10-08', Id: 'a1', ProductArn: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default', AwsAccountId: '111122223333',
      Types: ['Unusual Behaviors'], CreatedAt: '2024-06-03T10:00:00Z', UpdatedAt: '2024-06-03T10:00:00Z', Severity: { Label: 'LOW' }, Title: 't', Description: 'd', Resources: [] };
    const a = await read('asff-array.json', JSON.stringify([asff]));
    assert.equal(a.kind, 'findings:asff');
    assert.deepEqual(a.rows.map((f) => [f.findingUid, f.severity]), [['a1', 'low']]);
  });
});
