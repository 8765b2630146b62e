// Whether a security group's rule lets a flow record in: the question of the remote-access chains (which
// rule allowed this connection) and of an opening's finding (which connections this rule let in).
import type { SecurityGroupRule } from '../../../../shared/engine-types.ts';
import type { FlowRow } from '../../db/flow-row.ts';
import { normProto } from '../history/sg-rules.ts';
import { cidrMatch } from './cidr.ts';

/** A flow record's IANA protocol number as a rule names it. */
function protocolName(n: number | null): string {
  return n === 6 ? 'tcp' : n === 17 ? 'udp' : n === 1 ? 'icmp' : String(n);
}

/** How specifically an inbound rule allows a flow: the CIDR prefix length, or -1 when it does not. */
export function ruleAllows(rule: SecurityGroupRule, r: Pick<FlowRow, 'protocol' | 'dstport' | 'srcaddr'>): number {
  if (rule.direction !== 'ingress') return -1;
  const proto = normProto(rule.protocol);
  if (proto !== '-1' && proto !== protocolName(r.protocol)) return -1;
  if (proto !== '-1' && rule.fromPort !== null && r.dstport !== null && (r.dstport < rule.fromPort || r.dstport > (rule.toPort ?? rule.fromPort))) return -1;
  if (!r.srcaddr) return -1;
  const v4match = rule.cidr ? cidrMatch(r.srcaddr, rule.cidr) : -1;
  const v6match = rule.ipv6Cidr ? cidrMatch(r.srcaddr, rule.ipv6Cidr) : -1;
  return Math.max(v4match, v6match);
}
