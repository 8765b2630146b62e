// Security group rules as recorded by CloudTrail and by describe-security-groups, in one shape.
import type { SecurityGroupRule } from '../../../../shared/engine-types.ts';
import { items, member, num, path, str } from '../../json-values.ts';

type Direction = SecurityGroupRule['direction'];

function base(direction: Direction, protocol: unknown, from: unknown, to: unknown): Omit<SecurityGroupRule, 'cidr' | 'ipv6Cidr' | 'prefixListId' | 'peerGroupId' | 'peerGroupOwner' | 'ruleId' | 'description'> {
  return { direction, protocol: str(protocol) ?? '-1', fromPort: num(from), toPort: num(to) };
}

const EMPTY_PEER = { cidr: null, ipv6Cidr: null, prefixListId: null, peerGroupId: null, peerGroupOwner: null, ruleId: null, description: null };

/** Rules of an `ipPermissions` list (request parameters, or IpPermissions of a describe snapshot): one per peer. */
export function rulesFromPermissions(perms: unknown, direction: Direction): SecurityGroupRule[] {
  const out: SecurityGroupRule[] = [];
  for (const p of items(perms)) {
    const b = base(direction, member(p, 'ipProtocol'), member(p, 'fromPort'), member(p, 'toPort'));
    for (const r of items(member(p, 'ipRanges'))) out.push({ ...b, ...EMPTY_PEER, cidr: str(member(r, 'cidrIp')), description: str(member(r, 'description')) });
    for (const r of items(member(p, 'ipv6Ranges'))) out.push({ ...b, ...EMPTY_PEER, ipv6Cidr: str(member(r, 'cidrIpv6')), description: str(member(r, 'description')) });
    for (const r of items(member(p, 'prefixListIds'))) out.push({ ...b, ...EMPTY_PEER, prefixListId: str(member(r, 'prefixListId')), description: str(member(r, 'description')) });
    for (const r of items(member(p, 'groups') ?? member(p, 'userIdGroupPairs'))) {
      out.push({ ...b, ...EMPTY_PEER, peerGroupId: str(member(r, 'groupId')), peerGroupOwner: str(member(r, 'userId')), description: str(member(r, 'description')) });
    }
  }
  return out;
}

/** Rules from the legacy flat parameters (cidrIp, fromPort, toPort, ipProtocol, sourceSecurityGroupName). */
export function rulesFromFlatParameters(req: unknown, direction: Direction): SecurityGroupRule[] {
  const cidr = str(member(req, 'cidrIp'));
  const peer = str(member(req, 'sourceSecurityGroupId')) ?? str(member(req, 'sourceSecurityGroupName'));
  if (!cidr && !peer) return [];
  return [{ ...base(direction, member(req, 'ipProtocol'), member(req, 'fromPort'), member(req, 'toPort')), ...EMPTY_PEER, cidr, peerGroupId: peer, peerGroupOwner: str(member(req, 'sourceSecurityGroupOwnerId')) }];
}

/** Rules from `securityGroupRuleSet` (responses since 2021) or describe-security-group-rules: with sgr- ids. */
export function rulesFromRuleSet(set: unknown): SecurityGroupRule[] {
  return items(set).map((r) => ({
    ...base(member(r, 'isEgress') === true ? 'egress' : 'ingress', member(r, 'ipProtocol'), member(r, 'fromPort'), member(r, 'toPort')),
    cidr: str(member(r, 'cidrIpv4')),
    ipv6Cidr: str(member(r, 'cidrIpv6')),
    prefixListId: str(member(r, 'prefixListId')),
    peerGroupId: str(path(r, 'referencedGroupInfo', 'groupId')),
    peerGroupOwner: str(path(r, 'referencedGroupInfo', 'userId')),
    ruleId: str(member(r, 'securityGroupRuleId')),
    description: str(member(r, 'description')),
  }));
}

/** The rules an Authorize/Revoke call names, preferring the response's rule set (it has the sgr- ids). */
export function rulesOfCall(raw: unknown, direction: Direction): SecurityGroupRule[] {
  const fromResponse = rulesFromRuleSet(path(raw, 'responseElements', 'securityGroupRuleSet'));
  if (fromResponse.length > 0) return fromResponse;
  const req = member(raw, 'requestParameters');
  const listed = rulesFromPermissions(member(req, 'ipPermissions'), direction);
  if (listed.length > 0) return listed;
  const flat = rulesFromFlatParameters(req, direction);
  if (flat.length > 0) return flat;
  // Revoke by id only.
  return items(member(req, 'securityGroupRuleIds')).map((id) => ({
    direction, protocol: '-1', fromPort: null, toPort: null, ...EMPTY_PEER, ruleId: str(member(id, 'securityGroupRuleId') ?? id),
  }));
}

/** Same rule (ignoring description and id when either side lacks one). */
export function sameRule(a: SecurityGroupRule, b: SecurityGroupRule): boolean {
  if (a.ruleId && b.ruleId && a.ruleId === b.ruleId) return true;
  return a.direction === b.direction && normProto(a.protocol) === normProto(b.protocol) && (a.fromPort ?? -1) === (b.fromPort ?? -1) &&
    (a.toPort ?? -1) === (b.toPort ?? -1) && a.cidr === b.cidr && a.ipv6Cidr === b.ipv6Cidr && a.prefixListId === b.prefixListId &&
    a.peerGroupId === b.peerGroupId;
}

export function normProto(p: string): string {
  const s = p.toLowerCase();
  return s === '6' ? 'tcp' : s === '17' ? 'udp' : s === '1' ? 'icmp' : s === 'all' ? '-1' : s;
}

export function describeRule(r: SecurityGroupRule): string {
  const proto = normProto(r.protocol);
  const ports = proto === '-1' ? 'all traffic' : r.fromPort === r.toPort || r.toPort === null ? `${proto}/${r.fromPort ?? '*'}` : `${proto}/${r.fromPort}-${r.toPort}`;
  const peer = r.cidr ?? r.ipv6Cidr ?? r.prefixListId ?? r.peerGroupId ?? (r.ruleId ? `rule ${r.ruleId}` : '?');
  return `${r.direction} ${ports} ${r.direction === 'ingress' ? 'from' : 'to'} ${peer}${r.ruleId && peer !== `rule ${r.ruleId}` ? ` (${r.ruleId})` : ''}`;
}
