// Network ACL entries as CloudTrail records them (CreateNetworkAclEntry, ReplaceNetworkAclEntry,
// DeleteNetworkAclEntry request parameters), in one shape, and in words. Every value is the record's
// (attacker-controlled) data, cut to a line.
import { items, member, num, path, str } from '../../json-values.ts';
import { clipStrings } from '../../../../shared/api/bounds.ts';
import type { SecurityGroupRule } from '../../../../shared/engine-types.ts';
import { normProto } from './sg-rules.ts';

/** Characters of a value from the record in the words. */
const VALUE_CHARS = 100;
/**
 * Entries read from one snapshot: AWS allows at most 40 a direction (and the deny-all ones no call
 * changes); a crafted case's ACL of a million stays this many, each replayed version a copy of them.
 */
export const MAX_SNAPSHOT_ENTRIES = 200;

export type NetworkAclEntry = {
  aclId: string | null;
  ruleNumber: number | null;
  egress: boolean;
  action: string | null;
  /** tcp, udp, icmp, -1 (all) or the protocol number as given. */
  protocol: string;
  fromPort: number | null;
  toPort: number | null;
  cidr: string | null;
};

/** The entry a Create/Replace/DeleteNetworkAclEntry call names (a delete names only its number and direction). */
export function entryOfCall(req: unknown): NetworkAclEntry {
  const range = member(req, 'portRange');
  return {
    aclId: str(member(req, 'networkAclId')),
    ruleNumber: num(member(req, 'ruleNumber')),
    egress: member(req, 'egress') === true,
    action: str(member(req, 'ruleAction'))?.toLowerCase() ?? null,
    protocol: normProto(str(member(req, 'aclProtocol')) ?? str(member(req, 'protocol')) ?? '-1'),
    fromPort: num(member(range, 'from')),
    toPort: num(member(range, 'to')),
    cidr: str(member(req, 'cidrBlock')) ?? str(member(req, 'ipv6CidrBlock')),
  };
}

/** An ACL's entries as describe-network-acls (or AWS Config, given PascalCase keys) records them. */
export function entriesOfSnapshot(config: unknown, aclId: string): NetworkAclEntry[] {
  return items(member(config, 'Entries')).slice(0, MAX_SNAPSHOT_ENTRIES).map((e) => ({
    aclId,
    ruleNumber: num(member(e, 'RuleNumber')),
    egress: member(e, 'Egress') === true,
    action: str(member(e, 'RuleAction'))?.toLowerCase() ?? null,
    protocol: normProto(str(member(e, 'Protocol')) ?? '-1'),
    fromPort: num(path(e, 'PortRange', 'From')),
    toPort: num(path(e, 'PortRange', 'To')),
    cidr: str(member(e, 'CidrBlock')) ?? str(member(e, 'Ipv6CidrBlock')),
  }));
}

/** An entry's place in its ACL: its direction and number (an ACL holds one entry per number and direction). */
export function entryKey(e: NetworkAclEntry): string {
  return `${e.egress ? 'outbound' : 'inbound'} ${e.ruleNumber ?? '?'}`;
}

/** "inbound rule 100" */
export function entryName(e: NetworkAclEntry): string {
  return `${e.egress ? 'outbound' : 'inbound'} rule ${e.ruleNumber ?? '?'}`;
}

/** "allow tcp/22 from 0.0.0.0/0", "deny all traffic to 10.0.0.0/8" */
export function describeEntry(e: NetworkAclEntry): string {
  const ports = e.protocol === '-1' ? 'all traffic'
    : e.fromPort === null ? clipStrings(e.protocol, VALUE_CHARS)
      : e.fromPort === e.toPort || e.toPort === null ? `${clipStrings(e.protocol, VALUE_CHARS)}/${e.fromPort}` : `${clipStrings(e.protocol, VALUE_CHARS)}/${e.fromPort}-${e.toPort}`;
  return `${clipStrings(e.action ?? '?', VALUE_CHARS)} ${ports} ${e.egress ? 'to' : 'from'} ${clipStrings(e.cidr ?? '?', VALUE_CHARS)}`;
}

/** Whether a CIDR is the whole internet of its family ("0.0.0.0/0", "::/0"). */
function wholeInternet(cidr: string | null): boolean {
  return cidr !== null && /\/0$/.test(cidr.trim());
}

/**
 * Whether `deny`, evaluated before `open` (entries are evaluated lowest number first, the first match
 * decides), refuses everything `open` lets in from the world: a deny entry of the same direction and
 * family, lower-numbered, for the whole internet, over all of `open`'s protocol and ports.
 */
export function deniedBefore(deny: NetworkAclEntry, open: NetworkAclEntry): boolean {
  if (deny.action !== 'deny' || deny.egress !== open.egress || deny.ruleNumber === null || open.ruleNumber === null || deny.ruleNumber >= open.ruleNumber) return false;
  if (!wholeInternet(deny.cidr) || deny.cidr!.includes(':') !== (open.cidr ?? '').includes(':')) return false;
  if (deny.protocol === '-1') return true;
  if (deny.protocol !== open.protocol) return false;
  if (deny.fromPort === null) return true;
  if (open.fromPort === null) return false;
  return deny.fromPort <= open.fromPort && (deny.toPort ?? deny.fromPort) >= (open.toPort ?? open.fromPort);
}

/** An inbound entry as the rule it is to a flow record (flows/rule-allows.ts): its protocol, ports and network. */
export function asRule(e: NetworkAclEntry): SecurityGroupRule {
  const v6 = e.cidr?.includes(':') ?? false;
  return { direction: e.egress ? 'egress' : 'ingress', protocol: e.protocol, fromPort: e.fromPort, toPort: e.toPort, cidr: v6 ? null : e.cidr, ipv6Cidr: v6 ? e.cidr : null,
    prefixListId: null, peerGroupId: null, peerGroupOwner: null, ruleId: null, description: null };
}
