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

export class AddressOwners {
  private owners: Map<string, string> | null = null;

  constructor(private readonly db: CaseDb) {}

  instanceOf(address: string): string | null {
    if (!this.owners) {
      this.owners = new Map();
      const latest = stmt(this.db, `SELECT resource_id, config FROM (
          SELECT v.resource_id, v.config, v.observed_at, row_number() OVER (PARTITION BY v.resource_id ORDER BY v.observed_at DESC, v.id DESC) AS n
          FROM resource_versions v WHERE v.resource_id >= 'i-' AND v.resource_id < 'i.' AND v.origin = 'snapshot' AND ${configWithinBound('v.config')}
        ) WHERE n = 1 ORDER BY observed_at, resource_id LIMIT ${INSTANCES_READ}`).raw().all() as [string, string][];
      for (const [instance, config] of latest) for (const a of addressesInConfig(config)) this.owners.set(a, instance);
    }
    return this.owners.get(address) ?? null;
  }
}
