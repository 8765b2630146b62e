// The instance an address belongs to at a time: a scan's target named by what it is, where no interface
// of its logged the probes, and a public scanner address (an instance's IPv6) known as the account's.
// Two sources, so an account without configuration snapshots still names its hosts: the latest snapshot
// of each instance the case holds (its own and its interfaces' addresses, as
// attribution/instance-addresses.ts reads them), and the RunInstances calls that launched instances
// (the addresses the response gave each one and its interfaces). A private address is given again to
// the subnet's next instance, so each holder is kept with the time the case saw it hold the address:
// the owner at a time is the last seen holding it by then, else the first seen after. Read once per
// findings run, when first asked.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { addressesInConfig, isServiceAddress } from '../attribution/instance-addresses.ts';
import { INSTANCE_ID } from '../attribution/resolve-chain.ts';
import { latestSnapshots } from '../history/stored-config.ts';
import { parsedRecord, rawBlockReader } from '../../db/raw-events.ts';
import { addressesOfLaunch } from './groups-of-call.ts';

/** Instances read: a fleet past it names the first by id, and the rest of the addresses stay unnamed. */
const INSTANCES_READ = 10_000;
/**
 * Characters of configuration and of launch records parsed in all: each version may hold 4 MiB
 * (stored-config.ts), and a crafted case of 10,000 such would be 40 GB of JSON to parse. An instance's
 * snapshot is a few KB, a launch's record a few KB too.
 */
const CHARS_READ = 64 * 1024 * 1024;
/**
 * Launch calls read, the latest first: each read inflates its record's block (about 0.3 ms), and a
 * fleet scaled up and down all day launches thousands. Their records are read in block order.
 */
const LAUNCHES_READ = 2_000;
/** Characters of a launch record parsed: RunInstances of a few instances is a few KB, of the most (a thousand) about a megabyte. */
const LAUNCH_CHARS = 2 * 1024 * 1024;

/**
 * A configuration that may name an address (addressesInConfig's keys, in the describe calls' spelling
 * and AWS Config's: PrivateIpAddress, Ipv6Address, PublicIp, privateIpAddress …), tested on the text.
 */
const NAMES_AN_ADDRESS = `(instr(v.config, 'pAddress') > 0 OR instr(v.config, 'v6Address') > 0 OR instr(v.config, 'ublicIp') > 0
  OR instr(v.config, 'arrierIp') > 0 OR instr(v.config, 'wnedIp') > 0)`;

/** An address's holders, each with when the case saw it hold the address. */
type Held = { at: number; instance: string };

export class AddressOwners {
  private holders: Map<string, Held[]> | null = null;

  constructor(private readonly db: CaseDb) {}

  /** The instance holding `address` at `at` (any time when not given: the latest seen). */
  instanceOf(address: string, at = Infinity): string | null {
    const held = this.load().get(address);
    if (!held) return null;
    let owner: Held | null = null;
    for (const h of held) if (h.at <= at && (owner === null || h.at >= owner.at)) owner = h;
    if (owner === null) for (const h of held) if (owner === null || h.at < owner.at) owner = h;
    return owner?.instance ?? null;
  }

  private load(): Map<string, Held[]> {
    if (this.holders) return this.holders;
    const holders = (this.holders = new Map());
    const add = (address: string, at: number, instance: string) => {
      const held = holders.get(address);
      if (held) held.push({ at, instance });
      else holders.set(address, [{ at, instance }]);
    };
    // The latest version of each instance that names an address (a terminated instance's last snapshot
    // names none; AWS Config's history before it does).
    const budget = { chars: CHARS_READ };
    for (const s of latestSnapshots(this.db, 'i-', { where: NAMES_AN_ADDRESS, order: 'time', limit: INSTANCES_READ, budget })) {
      for (const a of addressesInConfig(s.config)) add(a, s.observedAt, s.resourceId);
    }
    const launches = stmt(this.db, `SELECT event_time, raw_block, raw_index FROM (
        SELECT e.event_time, e.raw_block, e.raw_index FROM events e
        WHERE e.event_name = 'RunInstances' AND e.error_code IS NULL AND e.raw_block IS NOT NULL ORDER BY e.event_time DESC LIMIT ${LAUNCHES_READ}
      ) ORDER BY raw_block, raw_index`).raw().all() as [number, number, number][];
    const block = rawBlockReader(this.db);
    for (const [at, rawBlock, index] of launches) {
      const text = block(rawBlock).record(index);
      if (text !== null && (budget.chars -= text.length) < 0) break;
      const raw = text === null || text.length > LAUNCH_CHARS ? null : parsedRecord(text);
      if (raw === null) continue;
      for (const { instance, addresses } of addressesOfLaunch(raw)) {
        if (!INSTANCE_ID.test(instance)) continue;
        for (const a of addresses) if (!isServiceAddress(a)) add(a, at, instance);
      }
    }
    return holders;
  }
}
