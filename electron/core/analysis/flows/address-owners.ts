// The instance an address belongs to, by the latest snapshot of each instance the case holds (its own
// and its interfaces' addresses, as attribution/instance-addresses.ts reads them): a scan's target named
// by what it is, where no interface of its logged the probes. Read once per findings run, when first
// asked; an address two instances had (one terminated, the address given again) is the one snapshotted
// later's.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { addressesInConfig } from '../attribution/instance-addresses.ts';
import { configWithinBound } from '../history/stored-config.ts';

/** Instances read: a fleet past it names the first by id, and the rest of the addresses stay unnamed. */
const INSTANCES_READ = 10_000;
/**
 * Characters of configuration parsed in all: each version may hold 4 MiB (stored-config.ts), and a
 * crafted case of 10,000 such would be 40 GB of JSON to parse. An instance's snapshot is a few KB.
 */
const CONFIG_CHARS_READ = 64 * 1024 * 1024;

export class AddressOwners {
  private owners: Map<string, string> | null = null;

  constructor(private readonly db: CaseDb) {}

  instanceOf(address: string): string | null {
    if (!this.owners) {
      this.owners = new Map();
      // The latest versions are chosen by id, so no configuration is carried through the sort, and read
      // one by one: past the bound the rest is never fetched.
      const latest = stmt(this.db, `SELECT l.resource_id, c.config FROM (
          SELECT v.id, v.resource_id, v.observed_at, row_number() OVER (PARTITION BY v.resource_id ORDER BY v.observed_at DESC, v.id DESC) AS n
          FROM resource_versions v WHERE v.resource_id >= 'i-' AND v.resource_id < 'i.' AND v.origin = 'snapshot' AND ${configWithinBound('v.config')}
        ) l JOIN resource_versions c ON c.id = l.id
        WHERE l.n = 1 ORDER BY l.observed_at, l.resource_id LIMIT ${INSTANCES_READ}`).raw().iterate() as IterableIterator<[string, string]>;
      let read = 0;
      for (const [instance, config] of latest) {
        read += config.length;
        if (read > CONFIG_CHARS_READ) break;
        for (const a of addressesInConfig(config)) this.owners.set(a, instance);
      }
    }
    return this.owners.get(address) ?? null;
  }
}
