// Checks on network exposure: security group rules and network ACL entries opened to the world or to
// administration ports, over IPv4 and IPv6. The rules a call adds are read by the same code that
// answers "who changed this group" (history/changes.ts), so both views agree.
import type { FindingSeverity, SecurityGroupRule } from '../../../../../shared/engine-types.ts';
import { changeOf } from '../../history/changes.ts';
import { describeRule, normProto } from '../../history/sg-rules.ts';
import { describeEntry, entryName, entryOfCall, type NetworkAclEntry } from '../../history/network-acl-entries.ts';
import { member, path, str } from '../../../json-values.ts';
import { isPrivate } from '../../attribution/instance-addresses.ts';
import { classifyUserAgent } from '../../attribution/user-agent.ts';
import type { CheckResult, Rec } from '../rules/rule-types.ts';

/** Remote administration, databases, caches and cluster control planes: never meant for the whole internet. */
export const ADMIN_PORTS = [22, 23, 135, 139, 445, 1433, 1521, 2375, 2376, 2379, 3306, 3389, 5432, 5601, 5900, 5984, 5985, 5986, 6379, 6443, 9042, 9200, 9300, 10250, 11211, 27017];
const WEB_PORTS = [80, 443];

/** The prefix length of a CIDR ("/0" is the whole internet whatever the address part says). */
function prefixOf(cidr: string | null): number | null {
  if (!cidr) return null;
  const m = /\/(\d{1,3})$/.exec(cidr.trim());
  return m ? Number(m[1]) : null;
}

type Reach = 'world' | 'public-range' | 'address' | 'private' | 'none';

function reachOf(cidr: string | null, v6: boolean): Reach {
  const p = prefixOf(cidr);
  if (p === null) return 'none';
  if (p === 0) return 'world';
  const net = cidr!.slice(0, cidr!.indexOf('/'));
  if (isPrivate(net)) return 'private';
  if (v6 ? p <= 32 : p <= 8) return 'public-range';
  return 'address';
}

function portsCovered(protocol: string, from: number | null, to: number | null, ports: number[]): number[] {
  const p = normProto(protocol);
  if (p === '-1') return ports;
  if (p !== 'tcp' && p !== 'udp') return [];
  if (from === null || from < 0) return ports;
  const hi = to === null || to < 0 ? from : to;
  return ports.filter((x) => x >= from && x <= hi);
}

/** Severity of letting `reach` in on the given ports; null when it is ordinary. */
function exposure(reach: Reach, protocol: string, from: number | null, to: number | null): { severity: FindingSeverity; admin: number[] } | null {
  const admin = portsCovered(protocol, from, to, ADMIN_PORTS);
  const all = normProto(protocol) === '-1' || (from !== null && to !== null && from <= 0 && to >= 65535);
  if (reach === 'world') {
    if (admin.length || all) return { severity: 'high', admin };
    const web = portsCovered(protocol, from, to, WEB_PORTS);
    const span = from !== null && to !== null ? to - from : 0;
    return { severity: web.length && span === 0 ? 'low' : 'medium', admin };
  }
  if (reach === 'public-range' && (admin.length || all)) return { severity: 'medium', admin };
  return null;
}

const ORDER: FindingSeverity[] = ['critical', 'high', 'medium', 'low'];
const worst = (a: FindingSeverity, b: FindingSeverity) => (ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b);

type ExposedRule = { rule: SecurityGroupRule; severity: FindingSeverity; world: boolean; admin: number[] };

/** Of these rules, the inbound ones that let the internet or a wide public range in where it should not come. */
export function exposedRules(rules: SecurityGroupRule[]): ExposedRule[] {
  const open: ExposedRule[] = [];
  for (const rule of rules) {
    if (rule.direction !== 'ingress') continue;
    const reach = rule.cidr ? reachOf(rule.cidr, false) : reachOf(rule.ipv6Cidr, true);
    const e = exposure(reach, rule.protocol, rule.fromPort, rule.toPort);
    if (e) open.push({ rule, ...e, world: reach === 'world' });
  }
  return open;
}

/** AuthorizeSecurityGroupIngress / ModifySecurityGroupRules: the added ingress rules open to the world or admin ports. */
export function securityGroupOpened(record: Rec): CheckResult {
  const group = str(path(record, 'requestParameters', 'groupId')) ?? str(path(record, 'requestParameters', 'ModifySecurityGroupRulesRequest', 'GroupId')) ?? '';
  const change = changeOf(record, group);
  if (change.kind !== 'security-group-rules') return null;
  const open = exposedRules(change.added);
  if (!open.length) return null;
  const severity = open.map((o) => o.severity).reduce(worst);
  const admin = [...new Set(open.flatMap((o) => o.admin))];
  const id = change.groupId || group || 'a security group';
  return {
    value: id,
    severity,
    summary: `${id} ${open.map((o) => describeRule(o.rule)).join('; ')}`,
    detail: `${open.some((o) => o.world) ? 'Anyone on the internet' : 'A wide public range'} may now reach ${id}` +
      `${admin.length ? ` on administration or database port${admin.length > 1 ? 's' : ''} ${admin.slice(0, 6).join(', ')}${admin.length > 6 ? '…' : ''}` : ''}` +
      '.' + madeWith(str(member(record, 'userAgent'))),
  };
}

/** How the call was made, by its user agent: a person at the console or CLI opening a port reads otherwise than infrastructure code. */
function madeWith(agent: string | null): string {
  switch (classifyUserAgent(agent)) {
    case 'console': return ' Made by hand from the AWS console, not by infrastructure code.';
    case 'cli': return ' Made by hand from the AWS CLI, not by infrastructure code.';
    case 'iac': return ' Made by infrastructure code (its user agent names it): compare with the change that deployed it.';
    default: return '';
  }
}

/** How bad an ACL entry is as an opening: an inbound allow entry for the world, by its ports; null for any other. */
export function aclEntryExposure(entry: NetworkAclEntry): FindingSeverity | null {
  if (entry.egress || entry.action !== 'allow') return null;
  const reach = reachOf(entry.cidr, entry.cidr?.includes(':') ?? false);
  return reach === 'world' ? (exposure(reach, entry.protocol, entry.fromPort, entry.toPort)?.severity ?? null) : null;
}

/** CreateNetworkAclEntry / ReplaceNetworkAclEntry: an inbound allow entry for the world. */
export function networkAclOpened(record: Rec): CheckResult {
  const entry = entryOfCall(member(record, 'requestParameters'));
  const severity = aclEntryExposure(entry);
  if (severity === null) return null;
  const acl = entry.aclId ?? 'a network ACL';
  return { value: acl, severity, summary: `${acl} ${entryName(entry)} (${describeEntry(entry)})` };
}
