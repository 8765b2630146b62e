// EC2 and VPC events: which instances, groups, rules, interfaces, networks, network ACLs, images,
// snapshots, volumes, key pairs and flow logs each call touched.
import type { ResourceType, Touch } from '../../../../../shared/resource-ids.ts';
import { iamArnWithoutPath, ipNodeId } from '../../../../../shared/resource-ids.ts';
import { arr, child, items, member, obj, str, text } from '../../../json-values.ts';
import { awsId } from '../aws-values.ts';
import type { Obj } from '../../../json-values.ts';
import { touch } from './context.ts';
import { launchingGroup } from './autoscaling.ts';
import { nameTag } from '../aws-tags.ts';
import type { Extractor, ResourceContext } from './context.ts';

const ID_PREFIX: Partial<Record<ResourceType, string>> = {
  instance: 'i-',
  'security-group': 'sg-',
  'security-group-rule': 'sgr-',
  'network-interface': 'eni-',
  vpc: 'vpc-',
  subnet: 'subnet-',
  image: 'ami-',
  snapshot: 'snap-',
  volume: 'vol-',
  'flow-log': 'fl-',
  'network-acl': 'acl-',
};

function id(ctx: ResourceContext, v: unknown, type: ResourceType, how: Touch): void {
  touch(ctx, awsId(v, ID_PREFIX[type] ?? ''), type, how);
}

/** Every `key` of the members of a set, e.g. instancesSet.items[].instanceId. */
function setIds(ctx: ResourceContext, set: unknown, key: string, type: ResourceType, how: Touch): void {
  for (const m of items(set)) id(ctx, typeof m === 'string' ? m : text(m, key), type, how);
}

function keyPair(ctx: ResourceContext, name: string | null, keyId: string | null, how: Touch): void {
  if (keyId !== null && keyId.startsWith('key-')) touch(ctx, keyId, 'key-pair', how, { name });
  else if (name !== null && ctx.account !== null && ctx.region !== null) {
    touch(ctx, `key-pair/${ctx.account}/${ctx.region}/${name}`, 'key-pair', how, { name });
  }
}

function instanceProfile(ctx: ResourceContext, p: unknown, how: Touch): void {
  const arn = text(p, 'arn');
  if (arn !== null) {
    touch(ctx, iamArnWithoutPath(arn), 'instance-profile', how, { arn });
    return;
  }
  const name = text(p, 'name');
  if (name !== null && ctx.account !== null) touch(ctx, `arn:${ctx.partition}:iam::${ctx.account}:instance-profile/${name}`, 'instance-profile', how, { name });
}

/** One launched instance (RunInstances response) or launch request: the instance and what it was attached to. */
function launchedInstance(ctx: ResourceContext, it: unknown, how: Touch, requestedName: string | null = null): void {
  const o = obj(it);
  if (o === null) return;
  // Named as the console names it: by its Name tag, as launched (the answer's tags, else the request's).
  touch(ctx, awsId(o.instanceId, 'i-'), 'instance', how, { name: nameTag(o.tagSet) ?? requestedName });
  setIds(ctx, o.groupSet, 'groupId', 'security-group', 'attached');
  id(ctx, o.subnetId, 'subnet', 'used');
  id(ctx, o.vpcId, 'vpc', 'used');
  id(ctx, o.imageId, 'image', 'used');
  setIds(ctx, o.networkInterfaceSet, 'networkInterfaceId', 'network-interface', how === 'created' ? 'created' : 'attached');
  keyPair(ctx, str(o.keyName), null, 'used');
  instanceProfile(ctx, o.iamInstanceProfile, 'attached');
}

const runInstances: Extractor = (ctx) => {
  const requestedName = launchTag(ctx.rp, 'instance');
  for (const it of items(child(ctx.re, 'instancesSet'))) launchedInstance(ctx, it, 'created', requestedName);
  const rp = ctx.rp;
  if (rp === null) return;
  for (const it of items(rp.instancesSet)) id(ctx, text(it, 'imageId'), 'image', 'used');
  setIds(ctx, rp.groupSet, 'groupId', 'security-group', 'attached');
  for (const ni of items(rp.networkInterfaceSet)) {
    setIds(ctx, child(ni, 'groupSet'), 'groupId', 'security-group', 'attached');
    id(ctx, text(ni, 'subnetId'), 'subnet', 'used');
  }
  id(ctx, rp.subnetId, 'subnet', 'used');
  keyPair(ctx, str(rp.keyName), null, 'used');
  instanceProfile(ctx, rp.iamInstanceProfile, 'attached');
  launchingGroup(ctx);
};

function instancesSet(how: Touch): Extractor {
  return (ctx) => {
    setIds(ctx, child(ctx.rp, 'instancesSet'), 'instanceId', 'instance', how);
    setIds(ctx, child(ctx.re, 'instancesSet'), 'instanceId', 'instance', how);
  };
}

const modifyInstanceAttribute: Extractor = (ctx) => {
  id(ctx, ctx.rp?.instanceId, 'instance', 'modified');
  setIds(ctx, ctx.rp?.groupSet, 'groupId', 'security-group', 'attached');
};

const iamProfileAssociation: Extractor = (ctx) => {
  id(ctx, ctx.rp?.instanceId ?? text(child(ctx.re, 'iamInstanceProfileAssociation'), 'instanceId'), 'instance', 'modified');
  instanceProfile(ctx, ctx.rp?.iamInstanceProfile ?? child(ctx.re, 'iamInstanceProfileAssociation')?.iamInstanceProfile, 'attached');
};

/** Sources and destinations of rules: addresses as ip/<cidr> nodes, referenced groups. */
function permissions(ctx: ResourceContext, perms: unknown, how: Touch): void {
  for (const p of items(perms)) {
    const o = obj(p);
    if (o === null) continue;
    for (const r of items(o.ipRanges)) touchCidr(ctx, text(r, 'cidrIp'), how);
    for (const r of items(o.ipv6Ranges)) touchCidr(ctx, text(r, 'cidrIpv6'), how);
    for (const g of items(o.groups)) id(ctx, text(g, 'groupId'), 'security-group', 'used');
  }
}

function touchCidr(ctx: ResourceContext, cidr: string | null, how: Touch): void {
  if (cidr !== null && cidr !== '...') touch(ctx, ipNodeId(cidr), 'ip', how);
}

function ruleSet(ctx: ResourceContext, set: unknown, ruleHow: Touch, addrHow: Touch): void {
  for (const r of items(set)) {
    const o = obj(r);
    if (o === null) continue;
    id(ctx, o.securityGroupRuleId, 'security-group-rule', ruleHow);
    id(ctx, o.groupId, 'security-group', 'modified');
    touchCidr(ctx, str(o.cidrIpv4), addrHow);
    touchCidr(ctx, str(o.cidrIpv6), addrHow);
    id(ctx, text(o.referencedGroupInfo, 'groupId'), 'security-group', 'used');
  }
}

function changeRules(authorize: boolean): Extractor {
  return (ctx) => {
    const rp = ctx.rp;
    const addrHow: Touch = authorize ? 'attached' : 'detached';
    id(ctx, rp?.groupId, 'security-group', 'modified');
    ruleSet(ctx, child(ctx.re, 'securityGroupRuleSet'), authorize ? 'created' : 'deleted', addrHow);
    ruleSet(ctx, child(ctx.re, 'revokedSecurityGroupRuleSet'), 'deleted', addrHow);
    if (rp === null) return;
    setIds(ctx, rp.securityGroupRuleIds, 'securityGroupRuleId', 'security-group-rule', authorize ? 'modified' : 'deleted');
    permissions(ctx, rp.ipPermissions, addrHow);
    touchCidr(ctx, str(rp.cidrIp), addrHow); // the old flat form: cidrIp, fromPort, toPort
    id(ctx, rp.sourceSecurityGroupId, 'security-group', 'used');
  };
}

/** ModifySecurityGroupRules: XML-shaped parameters, a single rule or a list. */
const modifySecurityGroupRules: Extractor = (ctx) => {
  const req = child(ctx.rp, 'ModifySecurityGroupRulesRequest') ?? ctx.rp;
  if (req === null) return;
  id(ctx, str(req.GroupId), 'security-group', 'modified');
  const rules = req.SecurityGroupRule;
  for (const r of Array.isArray(rules) ? rules : [rules]) {
    const o = obj(r);
    if (o === null) continue;
    id(ctx, str(o.SecurityGroupRuleId), 'security-group-rule', 'modified');
    const spec = obj(o.SecurityGroupRule);
    if (spec !== null) {
      touchCidr(ctx, str(spec.CidrIpv4), 'attached');
      touchCidr(ctx, str(spec.CidrIpv6), 'attached');
      id(ctx, str(spec.ReferencedGroupId), 'security-group', 'used');
    }
  }
};

const updateRuleDescriptions: Extractor = (ctx) => {
  id(ctx, ctx.rp?.groupId, 'security-group', 'modified');
  setIds(ctx, ctx.rp?.securityGroupRuleDescriptions, 'securityGroupRuleId', 'security-group-rule', 'modified');
};

const createSecurityGroup: Extractor = (ctx) => {
  id(ctx, ctx.re?.groupId, 'security-group', 'created');
  id(ctx, ctx.rp?.vpcId, 'vpc', 'used');
};

/** A primary id in the request (`key`) with a fixed touch, plus optional response location. */
function single(key: string, type: ResourceType, how: Touch, reObject?: string): Extractor {
  return (ctx) => {
    id(ctx, ctx.rp?.[key], type, how);
    if (reObject !== undefined) id(ctx, text(child(ctx.re, reObject) ?? ctx.re, key), type, how);
  };
}

const createNetworkInterface: Extractor = (ctx) => {
  id(ctx, text(child(ctx.re, 'networkInterface'), 'networkInterfaceId'), 'network-interface', 'created');
  id(ctx, ctx.rp?.subnetId, 'subnet', 'used');
  setIds(ctx, ctx.rp?.groupSet, 'groupId', 'security-group', 'attached');
};

const modifyNetworkInterfaceAttribute: Extractor = (ctx) => {
  id(ctx, ctx.rp?.networkInterfaceId, 'network-interface', 'modified');
  setIds(ctx, ctx.rp?.groupSet, 'groupId', 'security-group', 'attached');
};

const attachNetworkInterface: Extractor = (ctx) => {
  id(ctx, ctx.rp?.networkInterfaceId, 'network-interface', 'attached');
  id(ctx, ctx.rp?.instanceId, 'instance', 'modified');
};

const createVpc: Extractor = (ctx) => id(ctx, text(child(ctx.re, 'vpc'), 'vpcId'), 'vpc', 'created');
const createSubnet: Extractor = (ctx) => {
  id(ctx, text(child(ctx.re, 'subnet'), 'subnetId'), 'subnet', 'created');
  id(ctx, ctx.rp?.vpcId, 'vpc', 'modified');
};

const createNetworkAcl: Extractor = (ctx) => {
  const acl = child(ctx.re, 'networkAcl');
  id(ctx, text(acl, 'networkAclId'), 'network-acl', 'created');
  id(ctx, ctx.rp?.vpcId ?? text(acl, 'vpcId'), 'vpc', 'used');
};

/**
 * ReplaceNetworkAclAssociation moves a subnet to another ACL: the request names only the ACL it moves
 * to and the association (aclassoc-…), not the subnet, which only a snapshot's associations tell.
 */
const replaceNetworkAclAssociation: Extractor = (ctx) => id(ctx, ctx.rp?.networkAclId, 'network-acl', 'attached');

const createImage: Extractor = (ctx) => {
  id(ctx, ctx.re?.imageId, 'image', 'created');
  id(ctx, ctx.rp?.instanceId, 'instance', 'used');
  id(ctx, ctx.rp?.sourceImageId, 'image', 'used');
};

/** Sharing changes (launchPermission / createVolumePermission add/remove): the resource is modified. */
function sharing(key: string, type: ResourceType): Extractor {
  return (ctx) => id(ctx, ctx.rp?.[key], type, 'modified');
}

const createSnapshot: Extractor = (ctx) => {
  id(ctx, ctx.re?.snapshotId, 'snapshot', 'created');
  id(ctx, ctx.rp?.volumeId, 'volume', 'used');
  id(ctx, ctx.rp?.sourceSnapshotId, 'snapshot', 'used');
};

const createVolume: Extractor = (ctx) => {
  id(ctx, ctx.re?.volumeId, 'volume', 'created');
  id(ctx, ctx.rp?.snapshotId, 'snapshot', 'used');
};

function volumeAttachment(how: Touch): Extractor {
  return (ctx) => {
    id(ctx, ctx.rp?.volumeId ?? ctx.re?.volumeId, 'volume', how);
    id(ctx, ctx.rp?.instanceId ?? ctx.re?.instanceId, 'instance', 'modified');
  };
}

function keyPairEvent(how: Touch): Extractor {
  return (ctx) => keyPair(ctx, str(ctx.rp?.keyName) ?? str(ctx.re?.keyName), str(ctx.re?.keyPairId) ?? str(ctx.rp?.keyPairId), how);
}

/** CreateFlowLogs / DeleteFlowLogs carry XML-shaped bodies: {"CreateFlowLogsRequest": {"ResourceId": {"content": ...}}}. */
const createFlowLogs: Extractor = (ctx) => {
  const res = child(ctx.re, 'CreateFlowLogsResponse') ?? ctx.re;
  for (const f of flowLogIds(res?.flowLogIdSet)) id(ctx, f, 'flow-log', 'created');
  const req = child(ctx.rp, 'CreateFlowLogsRequest') ?? ctx.rp;
  const targets = req?.ResourceId ?? req?.resourceIds;
  for (const t of Array.isArray(targets) ? targets : items(targets).length > 0 ? items(targets) : [targets]) {
    const s = str(t);
    if (s === null) continue;
    if (s.startsWith('vpc-')) touch(ctx, s, 'vpc', 'modified');
    else if (s.startsWith('subnet-')) touch(ctx, s, 'subnet', 'modified');
    else if (s.startsWith('eni-')) touch(ctx, s, 'network-interface', 'modified');
  }
};

function flowLogIds(v: unknown): string[] {
  const out: string[] = [];
  const add = (x: unknown): void => {
    const s = str(x) ?? text(x, 'flowLogId');
    if (s !== null) out.push(s);
  };
  if (Array.isArray(v)) v.forEach(add);
  else if (obj(v) !== null && ('item' in (v as Obj) || 'items' in (v as Obj))) items(v).forEach(add);
  else add(v);
  return out;
}

const deleteFlowLogs: Extractor = (ctx) => {
  const req = child(ctx.rp, 'DeleteFlowLogsRequest') ?? ctx.rp;
  for (const f of flowLogIds(req?.FlowLogId ?? req?.flowLogIds)) id(ctx, f, 'flow-log', 'deleted');
};

/** The Name a request's tag specifications give the resources of one type it creates. */
function launchTag(rp: Obj | null, resourceType: string): string | null {
  for (const spec of items(rp?.tagSpecificationSet)) {
    if (text(spec, 'resourceType') === resourceType) return nameTag(member(spec, 'tags'));
  }
  return null;
}

/** Tags set or removed on resources by id; a Name set names them (DeleteTags leaves the name known before). */
function tagging(naming: boolean): Extractor {
  return (ctx) => {
    const name = naming ? nameTag(ctx.rp?.tagSet) : null;
    for (const r of items(ctx.rp?.resourcesSet)) {
      const s = text(r, 'resourceId');
      if (s === null) continue;
      for (const [type, prefix] of Object.entries(ID_PREFIX)) {
        if (s.startsWith(prefix as string)) {
          touch(ctx, s, type as ResourceType, 'modified', name === null ? undefined : { name });
          break;
        }
      }
    }
  };
}

export const EC2_EXTRACTORS: Record<string, Extractor> = {
  RunInstances: runInstances,
  TerminateInstances: instancesSet('deleted'),
  // EC2 taking a Spot Instance's capacity back: an AWS service event naming the instances in its details.
  BidEvictedEvent: (ctx) => {
    for (const i of arr(ctx.details?.instanceIdSet)) id(ctx, i, 'instance', 'deleted');
  },
  StopInstances: instancesSet('modified'),
  StartInstances: instancesSet('modified'),
  RebootInstances: instancesSet('modified'),
  ModifyInstanceAttribute: modifyInstanceAttribute,
  ModifyInstanceMetadataOptions: single('instanceId', 'instance', 'modified'),
  AssociateIamInstanceProfile: iamProfileAssociation,
  ReplaceIamInstanceProfileAssociation: iamProfileAssociation,
  CreateSecurityGroup: createSecurityGroup,
  DeleteSecurityGroup: single('groupId', 'security-group', 'deleted'),
  AuthorizeSecurityGroupIngress: changeRules(true),
  AuthorizeSecurityGroupEgress: changeRules(true),
  RevokeSecurityGroupIngress: changeRules(false),
  RevokeSecurityGroupEgress: changeRules(false),
  ModifySecurityGroupRules: modifySecurityGroupRules,
  UpdateSecurityGroupRuleDescriptionsIngress: updateRuleDescriptions,
  UpdateSecurityGroupRuleDescriptionsEgress: updateRuleDescriptions,
  CreateNetworkInterface: createNetworkInterface,
  DeleteNetworkInterface: single('networkInterfaceId', 'network-interface', 'deleted'),
  ModifyNetworkInterfaceAttribute: modifyNetworkInterfaceAttribute,
  AttachNetworkInterface: attachNetworkInterface,
  CreateVpc: createVpc,
  DeleteVpc: single('vpcId', 'vpc', 'deleted'),
  ModifyVpcAttribute: single('vpcId', 'vpc', 'modified'),
  CreateSubnet: createSubnet,
  CreateNetworkAcl: createNetworkAcl,
  DeleteNetworkAcl: single('networkAclId', 'network-acl', 'deleted'),
  CreateNetworkAclEntry: single('networkAclId', 'network-acl', 'modified'),
  ReplaceNetworkAclEntry: single('networkAclId', 'network-acl', 'modified'),
  DeleteNetworkAclEntry: single('networkAclId', 'network-acl', 'modified'),
  ReplaceNetworkAclAssociation: replaceNetworkAclAssociation,
  DeleteSubnet: single('subnetId', 'subnet', 'deleted'),
  ModifySubnetAttribute: single('subnetId', 'subnet', 'modified'),
  CreateImage: createImage,
  CopyImage: createImage,
  RegisterImage: createImage,
  DeregisterImage: single('imageId', 'image', 'deleted'),
  ModifyImageAttribute: sharing('imageId', 'image'),
  ResetImageAttribute: sharing('imageId', 'image'),
  CreateSnapshot: createSnapshot,
  CopySnapshot: createSnapshot,
  DeleteSnapshot: single('snapshotId', 'snapshot', 'deleted'),
  ModifySnapshotAttribute: sharing('snapshotId', 'snapshot'),
  ResetSnapshotAttribute: sharing('snapshotId', 'snapshot'),
  CreateVolume: createVolume,
  DeleteVolume: single('volumeId', 'volume', 'deleted'),
  ModifyVolume: single('volumeId', 'volume', 'modified'),
  AttachVolume: volumeAttachment('attached'),
  DetachVolume: volumeAttachment('detached'),
  CreateKeyPair: keyPairEvent('created'),
  ImportKeyPair: keyPairEvent('created'),
  DeleteKeyPair: keyPairEvent('deleted'),
  CreateFlowLogs: createFlowLogs,
  DeleteFlowLogs: deleteFlowLogs,
  CreateTags: tagging(true),
  DeleteTags: tagging(false),
};
