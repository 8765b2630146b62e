// The subnet (and its VPC) an address lies in, by the subnets' CIDR blocks in their latest snapshots:
// where a flow record says neither (version 2 records carry no vpc-id or subnet-id) and the case no
// longer knows its interface (an instance terminated before the snapshots, the one an investigator is
// after, takes its interface with it), the address it was logged with still names its network. Subnets
// are matched within the record's account: accounts reuse the same private ranges, and so may two VPCs of
// one account; an address in two such subnets names none. Read once, when first asked.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { configWithinBound, storedConfig } from '../history/stored-config.ts';
import { items, member, str } from '../../json-values.ts';
import { cidrMatch } from './cidr.ts';

/** Subnets read: a network past it matches the first by id only. */
const SUBNETS_READ = 10_000;
/** Characters of subnet configuration parsed in all (a subnet's snapshot is about a kilobyte; a crafted one may hold 4 MiB). */
const CONFIG_CHARS_READ = 32 * 1024 * 1024;

type Subnet = { subnet: string; vpc: string | null; account: string | null; cidrs: string[] };
export type SubnetOfAddress = { subnet: string; vpc: string | null };

export class SubnetsByAddress {
  private subnets: Subnet[] | null = null;

  constructor(private readonly db: CaseDb) {}

  /** The one subnet of `account` (any, when the record names none) whose blocks hold `address`; null when none or several do. */
  of(address: string | null, account: string | null): SubnetOfAddress | null {
    if (!address || address === '-') return null;
    let best = -1;
    let matches: Subnet[] = [];
    for (const s of this.load()) {
      if (account !== null && s.account !== null && s.account !== account) continue;
      const prefix = Math.max(-1, ...s.cidrs.map((c) => cidrMatch(address, c)));
      if (prefix < 0 || prefix < best) continue;
      if (prefix > best) matches = [];
      best = prefix;
      matches.push(s);
    }
    return matches.length === 1 ? { subnet: matches[0].subnet, vpc: matches[0].vpc } : null;
  }

  private load(): Subnet[] {
    if (this.subnets) return this.subnets;
    this.subnets = [];
    const latest = stmt(this.db, `SELECT l.resource_id, r.account_id, c.config FROM (
        SELECT v.id, v.resource_id, row_number() OVER (PARTITION BY v.resource_id ORDER BY v.observed_at DESC, v.id DESC) AS n
        FROM resource_versions v WHERE v.resource_id >= 'subnet-' AND v.resource_id < 'subnet.' AND v.origin = 'snapshot' AND ${configWithinBound('v.config')}
      ) l JOIN resource_versions c ON c.id = l.id LEFT JOIN resources r ON r.id = l.resource_id
      WHERE l.n = 1 ORDER BY l.resource_id LIMIT ${SUBNETS_READ}`).raw().iterate() as IterableIterator<[string, string | null, string]>;
    let read = 0;
    for (const [subnet, account, text] of latest) {
      read += text.length;
      if (read > CONFIG_CHARS_READ) break;
      const config = storedConfig(text);
      const cidrs = [str(member(config, 'CidrBlock')), ...items(member(config, 'Ipv6CidrBlockAssociationSet')).map((a) => str(member(a, 'Ipv6CidrBlock')))]
        .filter((c): c is string => c !== null);
      if (cidrs.length) this.subnets.push({ subnet, vpc: str(member(config, 'VpcId')), account: account ?? str(member(config, 'OwnerId')), cidrs });
    }
    return this.subnets;
  }
}
