// describe-security-groups, describe-security-group-rules, describe-network-interfaces,
// describe-vpcs, describe-subnets, describe-network-acls and describe-flow-logs.
import type { ResourceType } from '../../../../../shared/resource-ids.ts';
import { ipNodeId } from '../../../../../shared/resource-ids.ts';
import { arr, bool, obj, str, text } from '../../../json-values.ts';
import { awsId } from '../aws-values.ts';
import type { Obj } from '../../../json-values.ts';
import { networkInterface } from './ec2-instances.ts';
import { nameTag } from '../aws-tags.ts';
import { listOf, regionOfZone } from './snapshot-builder.ts';
import type { SnapshotBuilder } from './snapshot-builder.ts';

function each(document: unknown, key: string, fn: (o: Obj) => void): void {
  for (const x of listOf(document, key)) {
    const o = obj(x);
    if (o !== null) fn(o);
  }
}

// Egress rules name where traffic may go, not where it may come from: a different edge kind keeps
// exposure questions (who can reach this?) from tripping over the usual allow-all egress.
const ruleKind = (egress: boolean): string => (egress ? 'sg-rule-destination' : 'sg-rule-source');

function cidr(b: SnapshotBuilder, value: string | null): string | null {
  return value === null ? null : b.resource(ipNodeId(value), 'ip', { name: value });
}

/** The rules embedded in a group: no sgr- ids here, so the group itself is the edge's source. */
function permissions(b: SnapshotBuilder, groupId: string, perms: unknown, egress: boolean): void {
  const kind = ruleKind(egress);
  for (const p of arr(perms)) {
    const o = obj(p);
    if (o === null) continue;
    for (const r of arr(o.IpRanges)) b.edge(groupId, cidr(b, text(r, 'CidrIp')), kind);
    for (const r of arr(o.Ipv6Ranges)) b.edge(groupId, cidr(b, text(r, 'CidrIpv6')), kind);
    for (const g of arr(o.UserIdGroupPairs)) b.edge(groupId, b.resource(awsId(text(g, 'GroupId'), 'sg-'), 'security-group', { accountId: text(g, 'UserId') }), kind);
    for (const pl of arr(o.PrefixListIds)) {
      const id = text(pl, 'PrefixListId');
      if (id !== null) b.edge(groupId, cidr(b, id), kind);
    }
  }
}

export function describeSecurityGroups(b: SnapshotBuilder, document: unknown): void {
  each(document, 'SecurityGroups', (g) => {
    const accountId = str(g.OwnerId);
    const id = b.resource(awsId(g.GroupId, 'sg-'), 'security-group', { accountId, name: str(g.GroupName) ?? nameTag(g.Tags) });
    if (id === null) return;
    b.version(id, g);
    b.edge(id, b.resource(awsId(g.VpcId, 'vpc-'), 'vpc', { accountId }), 'security-group-vpc');
    permissions(b, id, g.IpPermissions, false);
    permissions(b, id, g.IpPermissionsEgress, true);
  });
}

export function describeSecurityGroupRules(b: SnapshotBuilder, document: unknown): void {
  each(document, 'SecurityGroupRules', (r) => {
    const accountId = str(r.GroupOwnerId);
    const id = b.resource(awsId(r.SecurityGroupRuleId, 'sgr-'), 'security-group-rule', { accountId, name: str(r.Description) });
    if (id === null) return;
    b.version(id, r);
    const group = b.resource(awsId(r.GroupId, 'sg-'), 'security-group', { accountId });
    b.edge(id, group, 'sg-rule-group');
    const kind = ruleKind(bool(r.IsEgress) === true);
    b.edge(id, cidr(b, str(r.CidrIpv4)), kind);
    b.edge(id, cidr(b, str(r.CidrIpv6)), kind);
    b.edge(id, cidr(b, str(r.PrefixListId)), kind);
    const ref = obj(r.ReferencedGroupInfo);
    if (ref !== null) b.edge(id, b.resource(awsId(ref.GroupId, 'sg-'), 'security-group', { accountId: str(ref.UserId) }), kind);
  });
}

export function describeNetworkInterfaces(b: SnapshotBuilder, document: unknown): void {
  each(document, 'NetworkInterfaces', (ni) => networkInterface(b, ni, str(ni.OwnerId), null, null, true));
}

export function describeVpcs(b: SnapshotBuilder, document: unknown): void {
  each(document, 'Vpcs', (v) => {
    const id = b.resource(awsId(v.VpcId, 'vpc-'), 'vpc', { accountId: str(v.OwnerId), name: nameTag(v.Tags) });
    b.version(id, v);
  });
}

export function describeSubnets(b: SnapshotBuilder, document: unknown): void {
  each(document, 'Subnets', (s) => {
    const accountId = str(s.OwnerId);
    const region = regionOfZone(str(s.AvailabilityZone));
    const id = b.resource(awsId(s.SubnetId, 'subnet-'), 'subnet', { accountId, region, name: nameTag(s.Tags), arn: str(s.SubnetArn) });
    if (id === null) return;
    b.version(id, s);
    b.edge(id, b.resource(awsId(s.VpcId, 'vpc-'), 'vpc', { accountId, region }), 'subnet-vpc');
  });
}

/**
 * describe-network-acls: each ACL with its entries kept in its version (who-changed replays them), its
 * VPC and the subnets associated with it: the traffic of those subnets passes its entries.
 */
export function describeNetworkAcls(b: SnapshotBuilder, document: unknown): void {
  each(document, 'NetworkAcls', (a) => {
    const accountId = str(a.OwnerId);
    const id = b.resource(awsId(a.NetworkAclId, 'acl-'), 'network-acl', { accountId, name: nameTag(a.Tags) });
    if (id === null) return;
    b.version(id, a);
    b.edge(id, b.resource(awsId(a.VpcId, 'vpc-'), 'vpc', { accountId }), 'network-acl-vpc');
    for (const association of arr(a.Associations)) b.edge(id, b.resource(awsId(text(association, 'SubnetId'), 'subnet-'), 'subnet', { accountId }), 'network-acl-subnet');
  });
}

const FLOW_TARGETS: [string, ResourceType, string][] = [
  ['eni-', 'network-interface', 'flow-log-eni'],
  ['subnet-', 'subnet', 'flow-log-subnet'],
  ['vpc-', 'vpc', 'flow-log-vpc'],
];

export function describeFlowLogs(b: SnapshotBuilder, document: unknown): void {
  each(document, 'FlowLogs', (f) => {
    const id = b.resource(awsId(f.FlowLogId, 'fl-'), 'flow-log', { name: nameTag(f.Tags) ?? str(f.LogGroupName) });
    if (id === null) return;
    b.version(id, f);
    const target = str(f.ResourceId);
    if (target === null) return;
    for (const [prefix, type, kind] of FLOW_TARGETS) {
      if (target.startsWith(prefix)) b.edge(id, b.resource(target, type), kind);
    }
  });
}
