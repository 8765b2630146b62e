// IAM events: users, roles, groups, managed and inline policies, access keys, login profiles, MFA
// devices and instance profiles. Principals are named by their ARN without path, built from the
// recipient account so events and snapshots meet on the same id.
import type { Touch } from '../../../../../shared/resource-ids.ts';
import { iamArnWithoutPath } from '../../../../../shared/resource-ids.ts';
import { child, str, text } from '../../../json-values.ts';
import { touch } from './context.ts';
import type { Extractor, ResourceContext } from './context.ts';

type Kind = 'user' | 'role' | 'group' | 'instance-profile';

function arnOf(ctx: ResourceContext, kind: Kind, name: string | null): string | null {
  if (name === null || ctx.account === null) return null;
  // Some parameters carry a full ARN where a name is expected.
  if (name.startsWith('arn:')) return iamArnWithoutPath(name);
  return `arn:${ctx.partition}:iam::${ctx.account}:${kind}/${name}`;
}

function principal(ctx: ResourceContext, kind: Kind, name: string | null, how: Touch, responseKey?: string): string | null {
  const fromResponse = responseKey !== undefined ? text(child(ctx.re, responseKey), 'arn') : null;
  const id = fromResponse !== null ? iamArnWithoutPath(fromResponse) : arnOf(ctx, kind, name);
  touch(ctx, id, kind, how, { name });
  return id;
}

const userName = (ctx: ResourceContext): string | null => str(ctx.rp?.userName) ?? ctx.callerUserName;

function lifecycle(kind: Kind, key: string, how: Touch, responseKey?: string): Extractor {
  return (ctx) => {
    principal(ctx, kind, str(ctx.rp?.[key]), how, responseKey);
  };
}

function managedPolicy(ctx: ResourceContext, how: Touch): void {
  const arn = str(ctx.rp?.policyArn) ?? str(ctx.rp?.permissionsBoundary);
  if (arn !== null && arn.startsWith('arn:')) touch(ctx, arn, 'policy', how, { arn });
}

function attach(kind: Kind, key: string, how: Touch): Extractor {
  return (ctx) => {
    principal(ctx, kind, str(ctx.rp?.[key]), 'modified');
    managedPolicy(ctx, how);
  };
}

function inline(kind: Kind, key: string, how: Touch): Extractor {
  return (ctx) => {
    const owner = principal(ctx, kind, str(ctx.rp?.[key]), 'modified');
    const name = str(ctx.rp?.policyName);
    if (owner !== null && name !== null) touch(ctx, `${owner}#policy/${name}`, 'inline-policy', how, { name });
  };
}

const createPolicy: Extractor = (ctx) => {
  const arn = text(child(ctx.re, 'policy'), 'arn');
  if (arn !== null) {
    touch(ctx, arn, 'policy', 'created', { arn });
    return;
  }
  const name = str(ctx.rp?.policyName);
  if (name !== null && ctx.account !== null) {
    const path = str(ctx.rp?.path) ?? '/';
    touch(ctx, `arn:${ctx.partition}:iam::${ctx.account}:policy${path}${name}`, 'policy', 'created', { name });
  }
};

function policyByArn(how: Touch): Extractor {
  return (ctx) => managedPolicy(ctx, how);
}

function accessKey(how: Touch): Extractor {
  return (ctx) => {
    const key = text(child(ctx.re, 'accessKey'), 'accessKeyId') ?? str(ctx.rp?.accessKeyId);
    touch(ctx, key, 'access-key', how);
    principal(ctx, 'user', str(ctx.rp?.userName) ?? text(child(ctx.re, 'accessKey'), 'userName') ?? ctx.callerUserName, 'modified');
  };
}

function loginProfile(how: Touch): Extractor {
  return (ctx) => {
    const user = principal(ctx, 'user', userName(ctx) ?? text(child(ctx.re, 'loginProfile'), 'userName'), 'modified');
    if (user !== null) touch(ctx, `${user}#login-profile`, 'login-profile', how);
  };
}

function mfa(how: Touch): Extractor {
  return (ctx) => {
    const serial = str(ctx.rp?.serialNumber) ?? text(child(ctx.re, 'virtualMFADevice'), 'serialNumber');
    touch(ctx, serial, 'mfa-device', how);
    if (how !== 'created' && how !== 'deleted') principal(ctx, 'user', userName(ctx), 'modified');
  };
}

function groupMembership(how: Touch): Extractor {
  return (ctx) => {
    principal(ctx, 'group', str(ctx.rp?.groupName), 'modified');
    principal(ctx, 'user', str(ctx.rp?.userName), how);
  };
}

function profileRole(how: Touch): Extractor {
  return (ctx) => {
    principal(ctx, 'instance-profile', str(ctx.rp?.instanceProfileName), 'modified');
    principal(ctx, 'role', str(ctx.rp?.roleName), how);
  };
}

export const IAM_EXTRACTORS: Record<string, Extractor> = {
  CreateUser: lifecycle('user', 'userName', 'created', 'user'),
  DeleteUser: lifecycle('user', 'userName', 'deleted'),
  UpdateUser: lifecycle('user', 'userName', 'modified'),
  CreateRole: lifecycle('role', 'roleName', 'created', 'role'),
  CreateServiceLinkedRole: lifecycle('role', 'roleName', 'created', 'role'),
  DeleteRole: lifecycle('role', 'roleName', 'deleted'),
  DeleteServiceLinkedRole: lifecycle('role', 'roleName', 'deleted'),
  UpdateRole: lifecycle('role', 'roleName', 'modified'),
  UpdateRoleDescription: lifecycle('role', 'roleName', 'modified'),
  UpdateAssumeRolePolicy: lifecycle('role', 'roleName', 'modified'),
  CreateGroup: lifecycle('group', 'groupName', 'created', 'group'),
  DeleteGroup: lifecycle('group', 'groupName', 'deleted'),
  UpdateGroup: lifecycle('group', 'groupName', 'modified'),
  CreateInstanceProfile: lifecycle('instance-profile', 'instanceProfileName', 'created', 'instanceProfile'),
  DeleteInstanceProfile: lifecycle('instance-profile', 'instanceProfileName', 'deleted'),
  AddRoleToInstanceProfile: profileRole('attached'),
  RemoveRoleFromInstanceProfile: profileRole('detached'),
  AddUserToGroup: groupMembership('attached'),
  RemoveUserFromGroup: groupMembership('detached'),
  AttachUserPolicy: attach('user', 'userName', 'attached'),
  AttachRolePolicy: attach('role', 'roleName', 'attached'),
  AttachGroupPolicy: attach('group', 'groupName', 'attached'),
  DetachUserPolicy: attach('user', 'userName', 'detached'),
  DetachRolePolicy: attach('role', 'roleName', 'detached'),
  DetachGroupPolicy: attach('group', 'groupName', 'detached'),
  PutUserPermissionsBoundary: attach('user', 'userName', 'attached'),
  PutRolePermissionsBoundary: attach('role', 'roleName', 'attached'),
  DeleteUserPermissionsBoundary: lifecycle('user', 'userName', 'modified'),
  DeleteRolePermissionsBoundary: lifecycle('role', 'roleName', 'modified'),
  PutUserPolicy: inline('user', 'userName', 'modified'),
  PutRolePolicy: inline('role', 'roleName', 'modified'),
  PutGroupPolicy: inline('group', 'groupName', 'modified'),
  DeleteUserPolicy: inline('user', 'userName', 'deleted'),
  DeleteRolePolicy: inline('role', 'roleName', 'deleted'),
  DeleteGroupPolicy: inline('group', 'groupName', 'deleted'),
  CreatePolicy: createPolicy,
  DeletePolicy: policyByArn('deleted'),
  CreatePolicyVersion: policyByArn('modified'),
  DeletePolicyVersion: policyByArn('modified'),
  SetDefaultPolicyVersion: policyByArn('modified'),
  CreateAccessKey: accessKey('created'),
  UpdateAccessKey: accessKey('modified'),
  DeleteAccessKey: accessKey('deleted'),
  CreateLoginProfile: loginProfile('created'),
  UpdateLoginProfile: loginProfile('modified'),
  DeleteLoginProfile: loginProfile('deleted'),
  CreateVirtualMFADevice: mfa('created'),
  DeleteVirtualMFADevice: mfa('deleted'),
  EnableMFADevice: mfa('attached'),
  DeactivateMFADevice: mfa('detached'),
  ResyncMFADevice: mfa('modified'),
  TagUser: lifecycle('user', 'userName', 'modified'),
  TagRole: lifecycle('role', 'roleName', 'modified'),
};
