// The subnet (and its VPC) an address lies in, by the subnets' CIDR blocks in their latest snapshots:
// where a flow record says neither (version 2 records carry no vpc-id or subnet-id) and the case no
// longer knows its interface (an instance terminated before the snapshots, the one an investigator is
// after, takes its interface with it), the address it was logged with still names its network. Subnets
// are matched within the record's account: accounts reuse the same private ranges, and so may two VPCs of
// one account; an address in two such subnets names none. Read once, when first asked.
import type { CaseDb } from '../../db/open-case.ts';
import { latestSnapshots, storedConfig } from '../history/stored-config.ts';
import { items, member, str } from '../../json-values.ts';
import { parseAddress } from './cidr.ts';

/** Subnets read: a network past it matches the first by id only. */
const SUBNETS_READ = 10_000;
/** Characters of subnet configuration parsed in all (a subnet's snapshot is about a kilobyte; a crafted one may hold 4 MiB). */
const CONFIG_CHARS_READ = 32 * 1024 * 1024;

type Subnet = { subnet: string; vpc: string | null; account: string | null };
export type SubnetOfAddress = { subnet: string; vpc: string | null };

/**
 * The subnets by their blocks: for each family and prefix length present, the network's value (the
 * address shifted past the prefix) to the subnets of that block. An address is then looked up once per
 * prefix length, not compared with every subnet: a crafted case of 10,000 subnets asked about by every
 * interface of a thousand openings stays a few map lookups each.
 */
type Blocks = { prefixes: { bits: 32 | 128; prefix: number }[]; byNetwork: Map<string, Subnet[]> };

const networkKey = (bits: number, prefix: number, value: bigint) => `${bits}/${prefix}/${(value >> BigInt(bits - prefix)).toString(16)}`;

export class SubnetsByAddress {
  private blocks: Blocks | null = null;

  constructor(private readonly db: CaseDb) {}

  /** The one subnet of `account` (any, when the record names none) whose blocks hold `address`, the most specific; null when none or several do. */
  of(address: string | null, account: string | null): SubnetOfAddress | null {
    const parsed = address ? parseAddress(address.trim()) : null;
    if (parsed === null) return null;
    const { prefixes, byNetwork } = this.load();
    for (const { bits, prefix } of prefixes) {
      if (bits !== parsed.bits) continue;
      const held = (byNetwork.get(networkKey(bits, prefix, parsed.value)) ?? []).filter((s) => account === null || s.account === null || s.account === account);
      const distinct = new Set(held.map((s) => s.subnet));
      if (distinct.size === 1) return { subnet: held[0].subnet, vpc: held[0].vpc };
      if (distinct.size > 1) return null;
    }
    return null;
  }

  private load(): Blocks {
    if (this.blocks) return this.blocks;
    const byNetwork = new Map<string, Subnet[]>();
    const prefixes = new Map<string, { bits: 32 | 128; prefix: number }>();
    for (const s of latestSnapshots(this.db, 'subnet-', { order: 'id', limit: SUBNETS_READ, budget: { chars: CONFIG_CHARS_READ } })) {
      const config = storedConfig(s.config);
      const entry: Subnet = { subnet: s.resourceId, vpc: str(member(config, 'VpcId')), account: s.accountId ?? str(member(config, 'OwnerId')) };
      const cidrs = [str(member(config, 'CidrBlock')), ...items(member(config, 'Ipv6CidrBlockAssociationSet')).map((a) => str(member(a, 'Ipv6CidrBlock')))];
      for (const cidr of cidrs) {
        const block = cidr === null ? null : parseBlock(cidr);
        if (block === null) continue;
        const key = networkKey(block.bits, block.prefix, block.value);
        const list = byNetwork.get(key);
        if (list) list.push(entry);
        else byNetwork.set(key, [entry]);
        prefixes.set(`${block.bits}/${block.prefix}`, { bits: block.bits, prefix: block.prefix });
      }
    }
    // The most specific block first.
    return (this.blocks = { prefixes: [...prefixes.values()].sort((a, b) => b.prefix - a.prefix), byNetwork });
  }
}

/** A CIDR block's family, prefix length and network, or null for text that is none. */
function parseBlock(cidr: string): { bits: 32 | 128; prefix: number; value: bigint } | null {
  const slash = cidr.indexOf('/');
  const net = slash < 0 ? null : parseAddress(cidr.slice(0, slash).trim());
  const prefixText = slash < 0 ? '' : cidr.slice(slash + 1).trim();
  if (net === null || !/^\d{1,3}$/.test(prefixText) || Number(prefixText) > net.bits) return null;
  return { bits: net.bits, prefix: Number(prefixText), value: net.value };
}
