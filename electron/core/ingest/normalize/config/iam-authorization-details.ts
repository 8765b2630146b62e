// get-account-authorization-details (GAAD): users, groups, roles, instance profiles and managed
// policies, with membership, attachment, inline-policy, instance-profile and trust edges.
import { iamArn, iamArnWithoutPath } from '../../../../../shared/resource-ids.ts';
import { arr, obj, str, text } from '../../../json-values.ts';
import type { Obj } from '../../../json-values.ts';
import type { SnapshotBuilder } from './snapshot-builder.ts';
import { decodePolicyDocument, trustedPrincipals, withDecodedDocuments } from './policy-documents.ts';

function accountOfArn(arn: string | null): string | null {
  if (arn === null) return null;
  const parts = arn.split(':');
  return parts.length > 5 && parts[4] !== '' ? parts[4] : null;
}

function partitionOfArn(arn: string | null): string {
  return arn !== null && arn.startsWith('arn:') ? arn.split(':')[1] || 'aws' : 'aws';
}

function attachedPolicies(b: SnapshotBuilder, owner: string, list: unknown): void {
  for (const p of arr(list)) {
    const arn = text(p, 'PolicyArn');
    if (arn !== null) b.edge(owner, b.resource(arn, 'policy', { arn, name: text(p, 'PolicyName'), accountId: accountOfArn(arn) }), 'attached-policy');
  }
}

function inlinePolicies(b: SnapshotBuilder, owner: string, list: unknown, accountId: string | null): void {
  for (const p of arr(list)) {
    const name = text(p, 'PolicyName');
    if (name === null) continue;
    const id = b.resource(`${owner}#policy/${name}`, 'inline-policy', { name, accountId });
    b.version(id, { PolicyName: name, PolicyDocument: decodePolicyDocument(obj(p)?.PolicyDocument) });
    b.edge(owner, id, 'inline-policy');
  }
}

function boundary(b: SnapshotBuilder, owner: string, pb: unknown): void {
  const arn = text(pb, 'PermissionsBoundaryArn');
  if (arn !== null) b.edge(owner, b.resource(arn, 'policy', { arn, accountId: accountOfArn(arn) }), 'permissions-boundary');
}

/** Principal id and attributes shared by users, groups and roles. */
function principalEntity(b: SnapshotBuilder, o: Obj, kind: 'user' | 'group' | 'role', nameKey: string): { id: string; accountId: string | null; partition: string } | null {
  const arn = str(o.Arn);
  if (arn === null) return null;
  const id = iamArnWithoutPath(arn);
  const accountId = accountOfArn(arn);
  b.resource(id, kind, { arn, accountId, name: str(o[nameKey]) });
  b.version(id, withDecodedDocuments(o));
  return { id, accountId, partition: partitionOfArn(arn) };
}

function user(b: SnapshotBuilder, u: Obj): void {
  const p = principalEntity(b, u, 'user', 'UserName');
  if (p === null) return;
  b.principal(str(u.Arn), 'IAMUser', p.accountId, str(u.UserName));
  for (const g of arr(u.GroupList)) {
    const name = str(g);
    if (name !== null && p.accountId !== null) {
      b.edge(p.id, b.resource(iamArn(p.accountId, 'group', name, p.partition), 'group', { name, accountId: p.accountId }), 'user-group');
    }
  }
  attachedPolicies(b, p.id, u.AttachedManagedPolicies);
  inlinePolicies(b, p.id, u.UserPolicyList, p.accountId);
  boundary(b, p.id, u.PermissionsBoundary);
  // Not part of GAAD proper, but some collectors merge list-access-keys into each user.
  for (const k of [...arr(u.AccessKeyMetadata), ...arr(u.AccessKeys)]) {
    const key = text(k, 'AccessKeyId');
    if (key !== null) b.edge(p.id, b.resource(key, 'access-key', { accountId: p.accountId }), 'user-access-key');
  }
}

function group(b: SnapshotBuilder, g: Obj): void {
  const p = principalEntity(b, g, 'group', 'GroupName');
  if (p === null) return;
  attachedPolicies(b, p.id, g.AttachedManagedPolicies);
  inlinePolicies(b, p.id, g.GroupPolicyList, p.accountId);
}

function trust(b: SnapshotBuilder, roleId: string, document: unknown): void {
  for (const t of trustedPrincipals(document)) {
    let dst = t.id;
    if (t.kind === 'AWS' && (dst.includes(':role/') || dst.includes(':user/'))) {
      dst = iamArnWithoutPath(dst);
      b.resource(dst, dst.includes(':role/') ? 'role' : 'user', { arn: t.id, accountId: accountOfArn(dst) });
    }
    b.edge(roleId, dst, 'role-trusts');
  }
}

function instanceProfiles(b: SnapshotBuilder, roleId: string, list: unknown): void {
  for (const ip of arr(list)) {
    const o = obj(ip);
    const arn = str(o?.Arn);
    if (o === null || arn === null) continue;
    const id = iamArnWithoutPath(arn);
    b.resource(id, 'instance-profile', { arn, accountId: accountOfArn(arn), name: str(o.InstanceProfileName) });
    b.version(id, withDecodedDocuments(o));
    b.edge(id, roleId, 'profile-role');
    for (const r of arr(o.Roles)) {
      const roleArn = text(r, 'Arn');
      if (roleArn !== null) b.edge(id, b.resource(iamArnWithoutPath(roleArn), 'role', { arn: roleArn }), 'profile-role');
    }
  }
}

function role(b: SnapshotBuilder, r: Obj): void {
  const p = principalEntity(b, r, 'role', 'RoleName');
  if (p === null) return;
  b.principal(str(r.Arn), 'Role', p.accountId, str(r.RoleName));
  trust(b, p.id, r.AssumeRolePolicyDocument);
  attachedPolicies(b, p.id, r.AttachedManagedPolicies);
  inlinePolicies(b, p.id, r.RolePolicyList, p.accountId);
  boundary(b, p.id, r.PermissionsBoundary);
  instanceProfiles(b, p.id, r.InstanceProfileList);
}

function policy(b: SnapshotBuilder, p: Obj): void {
  const arn = str(p.Arn);
  if (arn === null) return;
  b.resource(arn, 'policy', { arn, accountId: accountOfArn(arn), name: str(p.PolicyName) });
  b.version(arn, withDecodedDocuments(p));
}

export function accountAuthorizationDetails(b: SnapshotBuilder, document: unknown): void {
  const d = obj(document);
  if (d === null) return;
  const run = (key: string, fn: (b: SnapshotBuilder, o: Obj) => void): void => {
    for (const x of arr(d[key])) {
      const o = obj(x);
      if (o !== null) fn(b, o);
    }
  };
  run('UserDetailList', user);
  run('GroupDetailList', group);
  run('RoleDetailList', role);
  run('Policies', policy);
}
