// Configuration snapshots from the AWS CLI examples, the cloudmapper demo account and cloudsplaining's
// IAM exports: resources, versions and the edges the graph is built from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_KINDS } from '../types.ts';
import type { ConfigKind, ConfigSnapshot } from '../types.ts';
import { normalizeConfig } from './normalize-config.ts';
import { readJson, stratusRecords } from '../../../../test-support/real-samples.ts';

const T = Date.UTC(2024, 0, 1);
const CM = 'cloudmapper-demo/account-data/demo/us-east-1/';

function snap(kind: ConfigKind, file: string): ConfigSnapshot {
  return normalizeConfig(kind, readJson(file), T);
}

function edges(s: ConfigSnapshot, kind: string): string[] {
  return s.edges.filter((e) => e.kind === kind).map((e) => `${e.src} -> ${e.dst}`).sort();
}

function resource(s: ConfigSnapshot, id: string) {
  return s.resources.find((r) => r.id === id);
}

describe('normalizeConfig: EC2 and VPC', () => {
  it('describe-instances (aws-cli): instance with groups, profile, subnet, VPC and its interface', () => {
    const s = snap('describe-instances', 'aws-cli-examples/extracted/describe-instances.rst.block01.json');
    assert.deepEqual(edges(s, 'instance-security-group'), ['i-1234567890abcdef0 -> sg-1234567890abcdefg']);
    assert.deepEqual(edges(s, 'instance-profile'), ['i-1234567890abcdef0 -> arn:aws:iam::111111111111:instance-profile/AmazonSSMRoleForInstancesQuickSetup']);
    assert.deepEqual(edges(s, 'instance-subnet'), ['i-1234567890abcdef0 -> subnet-04a636d18e83cfacb']);
    assert.deepEqual(edges(s, 'eni-instance'), ['eni-1234567890abcdefg -> i-1234567890abcdef0']);
    assert.deepEqual(edges(s, 'eni-security-group'), ['eni-1234567890abcdefg -> sg-1234567890abcdefg']);
    const inst = resource(s, 'i-1234567890abcdef0');
    assert.equal(inst?.type, 'instance');
    assert.equal(inst?.region, 'us-east-2');
    const v = s.versions.find((x) => x.resourceId === 'i-1234567890abcdef0');
    assert.equal((v?.config as { InstanceType: string }).InstanceType, 't3.nano');
    assert.equal(v?.observedAt, T);
    assert.ok(s.edges.every((e) => e.validFrom === T && e.validTo === null));
  });

  it('describe-instances (cloudmapper, zero-padded ids): every instance and its public address', () => {
    const s = snap('describe-instances', `${CM}ec2-describe-instances.json`);
    assert.deepEqual(s.resources.filter((r) => r.type === 'instance').map((r) => r.id).sort(), ['i-00000000000000000', 'i-00000000000000001', 'i-00000000000000002']);
    assert.ok(edges(s, 'instance-security-group').includes('i-00000000000000000 -> sg-00000002'));
    assert.deepEqual(edges(s, 'eni-public-ip'), ['eni-00000000 -> ip/1.2.3.4']);
  });

  it('describe-security-groups: rule sources per group, egress apart, group in its VPC', () => {
    const s = snap('describe-security-groups', `${CM}ec2-describe-security-groups.json`);
    const pub = s.edges.filter((e) => e.src === 'sg-00000008');
    assert.deepEqual(pub.filter((e) => e.kind === 'sg-rule-source').map((e) => e.dst).sort(), ['ip/0.0.0.0/0', 'sg-00000002']);
    assert.deepEqual(pub.filter((e) => e.kind === 'sg-rule-destination').map((e) => e.dst), ['ip/0.0.0.0/0']);
    assert.deepEqual(pub.filter((e) => e.kind === 'security-group-vpc').map((e) => e.dst), ['vpc-12345678']);
    assert.equal(resource(s, 'sg-00000008')?.name, 'Public');
    assert.equal(resource(s, 'sg-00000008')?.accountId, '123456789012');
  });

  it('describe-security-group-rules: each sgr- rule, its group, and where it lets traffic from', () => {
    const s = snap('describe-security-group-rules', 'aws-cli-examples/extracted/describe-security-group-rules.rst.block01.json');
    assert.deepEqual(edges(s, 'sg-rule-group'), [
      'sgr-abcdef01234567890 -> sg-1234567890abcdef0', 'sgr-bcdef01234567890a -> sg-1234567890abcdef0', 'sgr-cdef01234567890ab -> sg-1234567890abcdef0',
    ]);
    assert.deepEqual(edges(s, 'sg-rule-destination'), ['sgr-bcdef01234567890a -> ip/::/0', 'sgr-cdef01234567890ab -> ip/0.0.0.0/0']);
    // The first rule references its own group, so it has no separate source edge beyond the group link.
    assert.deepEqual(edges(s, 'sg-rule-source'), ['sgr-abcdef01234567890 -> sg-1234567890abcdef0']);
  });

  it('describe-network-interfaces, describe-subnets, describe-vpcs, describe-flow-logs', () => {
    const eni = snap('describe-network-interfaces', `${CM}ec2-describe-network-interfaces.json`);
    assert.deepEqual(edges(eni, 'eni-subnet'), ['eni-00000001 -> subnet-00000001']);
    assert.deepEqual(edges(eni, 'eni-security-group'), ['eni-00000001 -> sg-00000008']);
    assert.equal(resource(eni, 'eni-00000001')?.region, 'us-east-1');
    const subnets = snap('describe-subnets', `${CM}ec2-describe-subnets.json`);
    assert.deepEqual(edges(subnets, 'subnet-vpc'), ['subnet-00000001', 'subnet-00000002', 'subnet-00000003', 'subnet-00000004'].map((x) => `${x} -> vpc-12345678`));
    assert.equal(resource(subnets, 'subnet-00000003')?.name, 'Private 1a');
    const vpcs = snap('describe-vpcs', `${CM}ec2-describe-vpcs.json`);
    assert.equal(resource(vpcs, 'vpc-12345678')?.name, 'Prod');
    assert.equal(vpcs.versions.length, 1);
    const fl = snap('describe-flow-logs', 'aws-cli-examples/extracted/describe-flow-logs.rst.block01.json');
    assert.deepEqual(edges(fl, 'flow-log-subnet'), ['fl-aabbccdd112233445 -> subnet-12345678901234567']);
    assert.deepEqual(edges(fl, 'flow-log-vpc'), ['fl-01234567890123456 -> vpc-00112233445566778']);
  });

  it('--query projections and odd documents give empty snapshots, never a throw', () => {
    for (const [kind, file] of [
      ['describe-instances', 'aws-cli-examples/extracted/describe-instances.rst.block05.json'],
      ['describe-instances', 'aws-cli-examples/extracted/describe-instances.rst.block18.json'],
      ['describe-security-groups', 'aws-cli-examples/extracted/describe-security-groups.rst.block05.json'],
    ] as const) {
      assert.deepEqual(snap(kind, file), { resources: [], versions: [], edges: [], principals: [] }, file);
    }
    for (const kind of CONFIG_KINDS) {
      for (const doc of [null, '...', 42, [], {}, { Reservations: '...', UserDetailList: [null, '...'], Content: 5 }]) {
        assert.doesNotThrow(() => normalizeConfig(kind, doc, T), `${kind} ${JSON.stringify(doc)}`);
      }
    }
  });

  it('versions do not depend on key order', () => {
    const a = normalizeConfig('describe-vpcs', { Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'Name', Value: 'x' }] }] }, T);
    const b = normalizeConfig('describe-vpcs', { Vpcs: [{ Tags: [{ Value: 'x', Key: 'Name' }], CidrBlock: '10.0.0.0/16', VpcId: 'vpc-1' }] }, T);
    assert.equal(JSON.stringify(a.versions[0].config), JSON.stringify(b.versions[0].config));
  });
});

describe('normalizeConfig: IAM', () => {
  it('GAAD (aws-cli): users in groups, inline policy, instance profile to role, service trust', () => {
    const s = snap('get-account-authorization-details', 'aws-cli-examples/extracted/get-account-authorization-details.rst.block01.json');
    assert.deepEqual(edges(s, 'user-group'), [
      'arn:aws:iam::123456789012:user/Alice -> arn:aws:iam::123456789012:group/Admins',
      'arn:aws:iam::123456789012:user/Bob -> arn:aws:iam::123456789012:group/Admins',
      'arn:aws:iam::123456789012:user/Charlie -> arn:aws:iam::123456789012:group/Dev',
    ]);
    assert.ok(edges(s, 'inline-policy').includes('arn:aws:iam::123456789012:user/Bob -> arn:aws:iam::123456789012:user/Bob#policy/DenyBillingAndIAMPolicy'));
    assert.deepEqual(edges(s, 'profile-role'), ['arn:aws:iam::123456789012:instance-profile/EC2role -> arn:aws:iam::123456789012:role/EC2role']);
    assert.deepEqual(edges(s, 'role-trusts'), ['arn:aws:iam::123456789012:role/EC2role -> ec2.amazonaws.com']);
    assert.deepEqual(s.principals.map((p) => `${p.type} ${p.name}`).sort(), ['IAMUser Alice', 'IAMUser Bob', 'IAMUser Charlie', 'Role EC2role']);
  });

  it('GAAD (cloudmapper): paths are dropped from ids; a trust to anyone is visible', () => {
    const s = snap('get-account-authorization-details', `${CM}iam-get-account-authorization-details.json`);
    assert.ok(resource(s, 'arn:aws:iam::123456789012:role/level1'), 'service-role/ path stripped');
    assert.equal(resource(s, 'arn:aws:iam::123456789012:role/level1')?.arn, 'arn:aws:iam::123456789012:role/service-role/level1');
    assert.ok(edges(s, 'role-trusts').includes('arn:aws:iam::123456789012:role/bad_role -> *'));
  });

  it('GAAD (cloudsplaining example, 44 users / 78 roles / 84 policies): counts and SSO trust', () => {
    const s = snap('get-account-authorization-details', 'cloudsplaining/examples/files/example.json');
    const count = (t: string): number => s.resources.filter((r) => r.type === t).length;
    assert.equal(count('user'), 44);
    const described = new Set(s.versions.map((v) => v.resourceId));
    assert.equal(s.resources.filter((r) => r.type === 'role' && described.has(r.id)).length, 78);
    // A trusted role outside the export still gets a node, without a version.
    assert.ok(count('role') >= 78);
    assert.equal(count('group'), 5);
    assert.ok(count('policy') >= 84);
    assert.equal(s.principals.length, 44 + 78);
    assert.ok(s.edges.some((e) => e.kind === 'role-trusts' && e.dst === 'ssm.amazonaws.com'));
    assert.ok(s.edges.some((e) => e.kind === 'role-trusts' && e.dst.startsWith('arn:aws:iam::200611803367:saml-provider/AWSSSO_')));
  });

  it('GAAD partial fixtures (cloudsplaining) do not throw and keep what is there', () => {
    const s = snap('get-account-authorization-details', 'cloudsplaining/test/files/managed_policy_mismatch.json');
    assert.deepEqual(edges(s, 'attached-policy'), ['arn:aws:iam::123456789012:group/anton-test -> arn:aws:iam::aws:policy/AWSLambdaReadOnlyAccess']);
    assert.deepEqual(snap('get-account-authorization-details', 'cloudsplaining/test/files/scanning/test_authorization_file_details_missing_constraints_v2.json').resources, []);
  });

  it('URL-encoded trust documents (raw IAM API, as in the stratus CreateRole response) are decoded', () => {
    const create = stratusRecords('aws.persistence.iam-create-backdoor-role').find((r) => r.eventName === 'CreateRole') as { responseElements: { role: Record<string, unknown> } };
    const role = create.responseElements.role;
    assert.equal(typeof role.assumeRolePolicyDocument, 'string');
    const s = normalizeConfig('get-account-authorization-details', {
      RoleDetailList: [{ Arn: role.arn, RoleName: role.roleName, AssumeRolePolicyDocument: role.assumeRolePolicyDocument }],
    }, T);
    assert.deepEqual(edges(s, 'role-trusts'), ['arn:aws:iam::609418236337:role/stratus-red-team-malicious-iam-role -> arn:aws:iam::193672423079:root']);
    const v = s.versions[0].config as { AssumeRolePolicyDocument: { Version: string } };
    assert.equal(v.AssumeRolePolicyDocument.Version, '2012-10-17');
  });

  it('credential report (cloudmapper): password and key presence per user, root included', () => {
    const s = snap('get-credential-report', `${CM}iam-get-credential-report.json`);
    assert.deepEqual(edges(s, 'user-access-key'), [
      'arn:aws:iam::123456789012:root -> arn:aws:iam::123456789012:root#access-key-1',
      'arn:aws:iam::123456789012:user/auditor_tmp -> arn:aws:iam::123456789012:user/auditor_tmp#access-key-1',
      'arn:aws:iam::123456789012:user/user -> arn:aws:iam::123456789012:user/user#access-key-1',
      'arn:aws:iam::123456789012:user/user -> arn:aws:iam::123456789012:user/user#access-key-2',
    ]);
    assert.deepEqual(edges(s, 'user-login-profile'), ['arn:aws:iam::123456789012:user/user -> arn:aws:iam::123456789012:user/user#login-profile']);
    const key = s.versions.find((v) => v.resourceId === 'arn:aws:iam::123456789012:root#access-key-1')?.config as Record<string, unknown>;
    assert.equal(key.lastUsedService, 'ecr');
    assert.equal(key.lastRotated, '2018-11-23T16:01:14+00:00');
    assert.deepEqual(s.principals.map((p) => p.type).sort(), ['IAMUser', 'IAMUser', 'Root']);
    // The same report base64-encoded, as the raw API returns it.
    const raw = readJson(`${CM}iam-get-credential-report.json`) as { Content: string };
    const b64 = normalizeConfig('get-credential-report', { Content: Buffer.from(raw.Content).toString('base64') }, T);
    assert.deepEqual(b64.edges, s.edges);
  });
});
