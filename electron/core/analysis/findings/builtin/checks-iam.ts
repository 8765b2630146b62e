// Checks on identity changes: admin policies, trust policies that let another account in, keys and
// passwords made for someone else, roles passed to compute, federation tokens with broad policies.
import { member, path, str } from '../../../json-values.ts';
import { foreignAccounts, grantsAdmin, policyStatements } from './policy-documents.ts';
import type { CheckResult, Rec } from '../rules/rule-types.ts';

/** AWS managed policies that amount to administrator (IAMFullAccess lets its holder grant itself anything). */
export const ADMIN_POLICIES = ['AdministratorAccess', 'IAMFullAccess', 'AWSOrganizationsFullAccess'];

export const rp = (r: Rec, ...names: string[]) => path(r, 'requestParameters', ...names);

export function ownAccount(r: Rec): string | null {
  return str(member(r, 'recipientAccountId')) ?? str(path(r, 'userIdentity', 'accountId'));
}

/** The IAM user a call targets (requestParameters.userName), or the caller itself when none is named. */
export function targetUser(r: Rec): string | null {
  return str(rp(r, 'userName'));
}

export function callerUserName(r: Rec): string | null {
  const ui = member(r, 'userIdentity');
  if (str(member(ui, 'type')) !== 'IAMUser') return null;
  const arn = str(member(ui, 'arn'));
  return str(member(ui, 'userName')) ?? (arn ? arn.slice(arn.lastIndexOf('/') + 1) : null);
}

function isForOther(r: Rec): boolean {
  const target = targetUser(r);
  return target !== null && target !== callerUserName(r);
}

/** CreateAccessKey / CreateLoginProfile / UpdateLoginProfile aimed at another user. */
export function forOtherUser(r: Rec): CheckResult {
  if (!isForOther(r)) return null;
  const target = targetUser(r)!;
  const key = str(path(r, 'responseElements', 'accessKey', 'accessKeyId'));
  return { value: target, summary: `${str(member(r, 'eventName')) ?? 'call'} for user ${target}${key ? ` (${key})` : ''}` };
}

/** The same calls made by a user for itself (no userName, or its own). */
export function forSelf(r: Rec): CheckResult {
  if (isForOther(r)) return null;
  const who = targetUser(r) ?? callerUserName(r);
  return { value: who, summary: who ? `for ${who} itself` : 'for the caller itself' };
}

/** Attach*Policy with an administrator-equivalent managed policy; Put*Policy whose document grants everything. */
export function adminPolicy(r: Rec): CheckResult {
  const principal = str(rp(r, 'userName')) ?? str(rp(r, 'roleName')) ?? str(rp(r, 'groupName'));
  const kind = rp(r, 'userName') ? 'user' : rp(r, 'roleName') ? 'role' : 'group';
  const arn = str(rp(r, 'policyArn'));
  if (arn) {
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    if (!ADMIN_POLICIES.includes(name)) return null;
    return { value: principal, summary: `${name} attached to ${kind} ${principal ?? '?'}` };
  }
  if (!grantsAdmin(policyStatements(rp(r, 'policyDocument')))) return null;
  return { value: principal, summary: `inline policy ${str(rp(r, 'policyName')) ?? ''} granting every action to ${kind} ${principal ?? '?'}`.replace('  ', ' ') };
}

/** The attachments adminPolicy does not report. */
export function otherPolicy(r: Rec): CheckResult {
  if (adminPolicy(r)) return null;
  const principal = str(rp(r, 'userName')) ?? str(rp(r, 'roleName')) ?? str(rp(r, 'groupName'));
  const policy = str(rp(r, 'policyArn')) ?? str(rp(r, 'policyName'));
  return { value: principal, summary: `${policy ?? 'a policy'} on ${principal ?? '?'}` };
}

/** CreatePolicyVersion (set as default) and SetDefaultPolicyVersion: the live policy changes; admin documents rank higher. */
export function policyVersion(r: Rec): CheckResult {
  const arn = str(rp(r, 'policyArn'));
  const name = str(member(r, 'eventName'));
  if (name === 'CreatePolicyVersion' && rp(r, 'setAsDefault') !== true && str(rp(r, 'setAsDefault')) !== 'true') return null;
  const admin = grantsAdmin(policyStatements(rp(r, 'policyDocument')));
  return {
    value: arn, severity: admin ? 'high' : undefined,
    summary: `${name === 'SetDefaultPolicyVersion' ? `version ${str(rp(r, 'versionId')) ?? '?'} made default` : 'new default version'} of ${arn ?? 'a policy'}${admin ? ' granting every action' : ''}`,
  };
}

/** UpdateAssumeRolePolicy / CreateRole: the accounts (or anyone) the trust policy lets in, other than the account's own. */
export function trustOpened(r: Rec): CheckResult {
  const doc = rp(r, 'policyDocument') ?? rp(r, 'assumeRolePolicyDocument');
  const role = str(rp(r, 'roleName'));
  const foreign = foreignAccounts(policyStatements(doc), ownAccount(r));
  if (!foreign.length) {
    if (str(member(r, 'eventName')) === 'CreateRole') return null;
    return { value: role, severity: 'medium', summary: `trust policy of role ${role ?? '?'} changed` };
  }
  const anyone = foreign.includes('*');
  return {
    value: role, severity: anyone ? 'critical' : 'high',
    summary: `role ${role ?? '?'} now trusts ${anyone ? 'anyone (Principal "*")' : `account ${foreign.join(', ')}`}`,
    detail: `The trust policy of ${role ?? 'the role'} lets ${anyone ? 'any AWS principal' : `principals of account ${foreign.join(', ')}`} assume it: a way back in that survives key rotation.`,
  };
}

/** Calls that hand a role to compute (PassRole is not logged by itself): the role passed. */
export function rolePassed(r: Rec): CheckResult {
  const role = str(rp(r, 'iamInstanceProfile', 'arn')) ?? str(rp(r, 'iamInstanceProfile', 'name')) ?? str(rp(r, 'role')) ?? str(rp(r, 'roleArn')) ??
    str(rp(r, 'roleARN')) ?? str(rp(r, 'executionRoleArn')) ?? str(rp(r, 'taskRoleArn')) ?? str(rp(r, 'serviceRole'));
  if (!role) return null;
  const to = str(rp(r, 'functionName')) ?? str(rp(r, 'instanceId')) ?? str(rp(r, 'stackName')) ?? str(rp(r, 'endpointName')) ?? str(rp(r, 'name')) ?? '';
  return { value: role, summary: `${role} passed to ${str(member(r, 'eventName'))}${to ? ` ${to}` : ''}` };
}

/** GetFederationToken: a session for the caller's own permissions, narrowed by a policy that here may grant everything. */
export function federationToken(r: Rec): CheckResult {
  const name = str(rp(r, 'name'));
  const admin = grantsAdmin(policyStatements(rp(r, 'policy')));
  return { value: name, severity: admin ? 'high' : undefined, summary: `federated session ${name ?? '?'}${admin ? ' with a policy allowing every action' : ''}` };
}

/** Lambda AddPermission: a resource policy that lets anyone, or another account, invoke or change the function. */
export function lambdaPermissionOpened(r: Rec): CheckResult {
  const principal = str(rp(r, 'principal'));
  const fn = str(rp(r, 'functionName'));
  if (!principal) return null;
  const account = /^\d{12}$/.exec(principal)?.[0] ?? /^arn:aws[\w-]*:iam::(\d{12}):/.exec(principal)?.[1] ?? null;
  const anyone = principal === '*';
  if (!anyone && (!account || account === ownAccount(r))) return null;
  return { value: fn, severity: anyone ? 'high' : 'medium', summary: `${fn ?? 'a function'} may be called by ${anyone ? 'anyone' : `account ${account}`} (${str(rp(r, 'action')) ?? 'lambda:*'})` };
}

/** CreateFunctionUrlConfig / UpdateFunctionUrlConfig with no authentication. */
export function functionUrlPublic(r: Rec): CheckResult {
  if (str(rp(r, 'authType'))?.toUpperCase() !== 'NONE') return null;
  const fn = str(rp(r, 'functionName'));
  return { value: fn, summary: `${fn ?? 'a function'} reachable from the internet without authentication` };
}

/** AddUserToGroup: the group name says admin. */
export function adminGroup(r: Rec): CheckResult {
  const group = str(rp(r, 'groupName'));
  const user = str(rp(r, 'userName'));
  return { value: user, severity: group && /admin/i.test(group) ? 'high' : undefined, summary: `${user ?? '?'} added to group ${group ?? '?'}` };
}
