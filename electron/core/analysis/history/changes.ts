// What one mutating call changed, read from its raw record. Pure: record in, Change out. Every value
// comes from the (attacker-controlled) record and is carried as data.
import type { Change, SecurityGroupRule } from '../../../../shared/engine-types.ts';
import { items, member, path, str, strings } from '../../json-values.ts';
import { describeRule, rulesFromRuleSet, rulesOfCall } from './sg-rules.ts';
import { tagsIn } from '../../ingest/normalize/aws-tags.ts';
import { describeEntry, entryName, entryOfCall } from './network-acl-entries.ts';
import { clipStrings } from '../../../../shared/api/bounds.ts';

/** Tags named in a tagging call's summary; the rest are counted. */
const TAGS_SHOWN = 10;

export function changeOf(raw: Record<string, unknown>, resourceId: string): Change {
  const name = str(raw.eventName) ?? '';
  const req = member(raw, 'requestParameters');
  const res = member(raw, 'responseElements');
  const failed = str(raw.errorCode) ? ' (failed)' : '';

  switch (name) {
    case 'AuthorizeSecurityGroupIngress':
    case 'AuthorizeSecurityGroupEgress':
    case 'RevokeSecurityGroupIngress':
    case 'RevokeSecurityGroupEgress': {
      const direction = name.endsWith('Egress') ? 'egress' : 'ingress';
      const rules = rulesOfCall(raw, direction);
      const groupId = str(member(req, 'groupId')) ?? resourceId;
      const adding = name.startsWith('Authorize');
      return {
        kind: 'security-group-rules',
        summary: `${adding ? 'added' : 'removed'} ${rules.map(describeRule).join('; ') || 'rules'}${failed}`,
        groupId,
        added: adding ? rules : [],
        removed: adding ? [] : rules,
      };
    }
    case 'ModifySecurityGroupRules': {
      const m = member(req, 'ModifySecurityGroupRulesRequest') ?? req;
      const groupId = str(member(m, 'GroupId')) ?? resourceId;
      const changed: SecurityGroupRule[] = [];
      for (const entry of items(member(m, 'SecurityGroupRule'))) {
        const rule = member(entry, 'SecurityGroupRule');
        const one = rulesFromRuleSet([{ ...(rule as object), securityGroupRuleId: member(entry, 'SecurityGroupRuleId') }])[0];
        if (one) changed.push(one);
      }
      // The call replaces each rule in place: the new definition is "added"; the old one is known only from a version.
      return { kind: 'security-group-rules', summary: `modified ${changed.map((r) => `${r.ruleId ?? '?'} to ${describeRule(r)}`).join('; ') || 'rules'}${failed}`, groupId, added: changed, removed: [] };
    }
    case 'UpdateSecurityGroupRuleDescriptionsIngress':
    case 'UpdateSecurityGroupRuleDescriptionsEgress':
      return { kind: 'other', summary: `updated rule descriptions${failed}` };
    case 'CreateSecurityGroup':
      return {
        kind: 'security-group', action: 'created', summary: `created group ${str(member(req, 'groupName')) ?? ''}${failed}`.trim(),
        groupId: str(member(res, 'groupId')) ?? resourceId, groupName: str(member(req, 'groupName')), vpcId: str(member(req, 'vpcId')),
        description: str(member(req, 'groupDescription')),
      };
    case 'DeleteSecurityGroup':
      return { kind: 'security-group', action: 'deleted', summary: `deleted group${failed}`, groupId: str(member(req, 'groupId')) ?? resourceId,
        groupName: str(member(req, 'groupName')), vpcId: null, description: null };
    // Network ACLs: stateless allow and deny entries on every packet of the subnets they guard.
    case 'CreateNetworkAclEntry':
    case 'ReplaceNetworkAclEntry': {
      const e = entryOfCall(req);
      return { kind: 'other', summary: `${name === 'CreateNetworkAclEntry' ? 'added' : 'replaced'} ${entryName(e)}${name === 'CreateNetworkAclEntry' ? ':' : ' with'} ${describeEntry(e)}${failed}` };
    }
    case 'DeleteNetworkAclEntry':
      return { kind: 'other', summary: `deleted ${entryName(entryOfCall(req))}${failed}` };
    case 'CreateNetworkAcl': {
      const parts = ['created network ACL', str(path(res, 'networkAcl', 'networkAclId')), str(member(req, 'vpcId')) && `in ${str(member(req, 'vpcId'))}`];
      return { kind: 'other', summary: `${clipStrings(parts.filter(Boolean).join(' '), 300)}${failed}` };
    }
    case 'DeleteNetworkAcl':
      return { kind: 'other', summary: `deleted network ACL${failed}` };
    case 'ReplaceNetworkAclAssociation': {
      const association = str(member(req, 'associationId'));
      return { kind: 'other', summary: `moved a subnet to ${clipStrings(str(member(req, 'networkAclId')) ?? 'a network ACL', 100)}${association ? ` (association ${clipStrings(association, 100)})` : ''}${failed}` };
    }
    case 'StartInstances':
    case 'StopInstances':
    case 'TerminateInstances':
    case 'RebootInstances': {
      const transitions = items(member(res, 'instancesSet')).map((it) => ({
        instanceId: str(member(it, 'instanceId')) ?? '?',
        previous: str(path(it, 'previousState', 'name')),
        current: str(path(it, 'currentState', 'name')),
      }));
      const requested = strings(member(req, 'instancesSet'), 'instanceId');
      const list = transitions.length ? transitions : requested.map((instanceId) => ({ instanceId, previous: null, current: null }));
      const mine = list.filter((t) => t.instanceId === resourceId);
      const shown = mine.length ? mine : list;
      return { kind: 'instance-state', summary: `${name}: ${shown.map((t) => `${t.instanceId} ${t.previous ?? '?'} → ${t.current ?? '?'}`).join(', ')}${failed}`, transitions: shown };
    }
    case 'BidEvictedEvent': {
      // The instance's Spot capacity reclaimed by EC2 (stopped, hibernated or terminated as its request said): no one in the account acted.
      const ids = strings(path(raw, 'serviceEventDetails', 'instanceIdSet'));
      const mine = ids.filter((i) => i === resourceId);
      const shown = (mine.length ? mine : ids).map((instanceId) => ({ instanceId, previous: null, current: null }));
      return { kind: 'instance-state', summary: `Spot capacity reclaimed by EC2: ${shown.map((t) => t.instanceId).join(', ') || '?'} interrupted, by no one in the account`, transitions: shown };
    }
    case 'RunInstances': {
      const ids = items(member(res, 'instancesSet')).map((it) => str(member(it, 'instanceId'))).filter((x): x is string => !!x);
      const groups = [...strings(member(req, 'groupSet'), 'groupId'), ...items(member(req, 'networkInterfaceSet')).flatMap((n) => strings(member(n, 'groupSet'), 'groupId'))];
      const profile = str(path(req, 'iamInstanceProfile', 'arn')) ?? str(path(req, 'iamInstanceProfile', 'name'));
      return {
        kind: 'instance-launch', summary: `launched ${ids.join(', ') || 'instances'}${groups.length ? ` with ${groups.join(', ')}` : ''}${failed}`,
        instanceIds: ids, groups, imageId: str(member(req, 'imageId')), instanceType: str(member(req, 'instanceType')), instanceProfile: profile,
      };
    }
    case 'CreateTags':
    case 'DeleteTags': {
      // Tags decide what tag-based policies allow and what counts as production: a retag is a change like any.
      const tags = tagsIn(member(req, 'tagSet'));
      const shown = `${tags.slice(0, TAGS_SHOWN).map(([k, v]) => (v === null ? k : `${k}=${v}`)).join(', ')}${tags.length > TAGS_SHOWN ? `, and ${tags.length - TAGS_SHOWN} more` : ''}`;
      const summary = name === 'CreateTags' ? `tagged ${shown || 'with nothing readable'}` : member(req, 'tagSet') === undefined ? 'removed every tag' : `removed tags ${shown || '(none readable)'}`;
      return { kind: 'other', summary: `${summary}${failed}` };
    }
    case 'ModifyInstanceAttribute':
    case 'ModifyNetworkInterfaceAttribute': {
      const groups = strings(member(req, 'groupSet'), 'groupId');
      const target = str(member(req, 'instanceId')) ?? str(member(req, 'networkInterfaceId')) ?? resourceId;
      const attribute = groups.length ? 'groupSet' : (str(member(req, 'attribute')) ?? firstAttribute(req));
      const value = groups.length ? null : attributeValue(req, attribute);
      return {
        kind: 'instance-attribute', resourceId: target, attribute, groupsBefore: null, groupsAfter: groups.length ? groups : null, value,
        summary: groups.length ? `set security groups of ${target} to ${groups.join(', ')}${failed}` : `changed ${attribute} of ${target}${failed}`,
      };
    }
    case 'AttachUserPolicy':
    case 'AttachRolePolicy':
    case 'AttachGroupPolicy':
    case 'DetachUserPolicy':
    case 'DetachRolePolicy':
    case 'DetachGroupPolicy': {
      const action = name.startsWith('Attach') ? 'attached' : 'detached';
      const policyArn = str(member(req, 'policyArn'));
      const principal = principalOf(req);
      return { kind: 'iam-policy', action, principal, policyArn, policyName: null, document: null, summary: `${action} ${policyArn ?? 'policy'} ${action === 'attached' ? 'to' : 'from'} ${principal ?? '?'}${failed}` };
    }
    case 'PutUserPolicy':
    case 'PutRolePolicy':
    case 'PutGroupPolicy':
    case 'DeleteUserPolicy':
    case 'DeleteRolePolicy':
    case 'DeleteGroupPolicy': {
      const action = name.startsWith('Put') ? 'put' : 'deleted';
      const policyName = str(member(req, 'policyName'));
      const principal = principalOf(req);
      return { kind: 'iam-policy', action, principal, policyArn: null, policyName, document: str(member(req, 'policyDocument')), summary: `${action} inline policy ${policyName ?? '?'} on ${principal ?? '?'}${failed}` };
    }
    case 'CreatePolicyVersion':
      return { kind: 'iam-policy', action: 'version-created', principal: null, policyArn: str(member(req, 'policyArn')), policyName: null,
        document: str(member(req, 'policyDocument')), summary: `new version of ${str(member(req, 'policyArn')) ?? 'policy'}${member(req, 'setAsDefault') === true ? ' set as default' : ''}${failed}` };
    case 'UpdateAssumeRolePolicy':
      return { kind: 'iam-policy', action: 'trust-updated', principal: str(member(req, 'roleName')), policyArn: null, policyName: null,
        document: str(member(req, 'policyDocument')), summary: `changed trust policy of ${str(member(req, 'roleName')) ?? 'role'}${failed}` };
    case 'CreateAccessKey':
    case 'UpdateAccessKey':
    case 'DeleteAccessKey': {
      const action = name === 'CreateAccessKey' ? 'created' : name === 'UpdateAccessKey' ? 'updated' : 'deleted';
      const key = str(path(res, 'accessKey', 'accessKeyId')) ?? str(member(req, 'accessKeyId'));
      const userName = str(member(req, 'userName')) ?? str(path(res, 'accessKey', 'userName'));
      const status = str(member(req, 'status')) ?? str(path(res, 'accessKey', 'status'));
      return { kind: 'access-key', action, userName, accessKeyId: key, status, summary: `${action} key ${key ?? '?'}${userName ? ` of ${userName}` : ''}${status && action === 'updated' ? ` (${status})` : ''}${failed}` };
    }
    default:
      if (str(raw.eventSource) === 'autoscaling.amazonaws.com') {
        const settings = scalingSettings(req);
        return { kind: 'other', summary: `${name}${settings ? `: ${settings}` : ''}${failed}` };
      }
      if (/^(Create|Delete|Update|Add|Remove|Tag|Untag)(User|Role|Group|LoginProfile|InstanceProfile)|^(AddUserToGroup|RemoveUserFromGroup|AddRoleToInstanceProfile|RemoveRoleFromInstanceProfile)$/.test(name)) {
        const principal = principalOf(req);
        return { kind: 'iam-principal', action: name, principal, summary: `${name}${principal ? ` ${principal}` : ''}${failed}` };
      }
      return { kind: 'other', summary: `${name}${failed}` };
  }
}

/** What an Auto Scaling call sets that decides how many instances run, and which: as named in the request. */
const SCALING_SETTINGS: [string, string][] = [
  ['desiredCapacity', 'desired capacity'], ['minSize', 'min size'], ['maxSize', 'max size'], ['launchConfigurationName', 'launch configuration'],
  ['policyName', 'policy'], ['adjustmentType', 'adjustment'], ['scalingAdjustment', 'by'], ['scheduledActionName', 'scheduled action'],
  ['recurrence', 'recurrence'], ['healthStatus', 'health'], ['instanceId', 'instance'], ['shouldDecrementDesiredCapacity', 'decrement desired capacity'],
  ['forceDelete', 'force delete'], ['protectedFromScaleIn', 'protected from scale-in'],
];

function scalingSettings(req: unknown): string {
  const parts: string[] = [];
  for (const [key, label] of SCALING_SETTINGS) {
    const v = member(req, key);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') parts.push(`${label} ${String(v).slice(0, 100)}`);
  }
  const template = member(req, 'launchTemplate') ?? path(req, 'mixedInstancesPolicy', 'launchTemplate', 'launchTemplateSpecification');
  const templateName = str(member(template, 'launchTemplateName')) ?? str(member(template, 'launchTemplateId'));
  if (templateName !== null) parts.push(`launch template ${templateName.slice(0, 100)}${str(member(template, 'version')) ? ` version ${str(member(template, 'version'))!.slice(0, 20)}` : ''}`);
  return parts.join(', ');
}

function principalOf(req: unknown): string | null {
  const u = str(member(req, 'userName'));
  if (u) return `user/${u}`;
  const r = str(member(req, 'roleName'));
  if (r) return `role/${r}`;
  const g = str(member(req, 'groupName'));
  return g ? `group/${g}` : null;
}

function firstAttribute(req: unknown): string {
  const o = req && typeof req === 'object' ? Object.keys(req as object) : [];
  return o.find((k) => k !== 'instanceId' && k !== 'networkInterfaceId') ?? 'attribute';
}

function attributeValue(req: unknown, attribute: string): string | null {
  const v = member(req, attribute);
  const inner = member(v, 'value');
  const s = str(inner) ?? str(v) ?? str(member(req, 'value'));
  if (s !== null) return s.length > 200 ? `${s.slice(0, 200)}…` : s;
  return v === undefined ? null : JSON.stringify(v).slice(0, 200);
}
