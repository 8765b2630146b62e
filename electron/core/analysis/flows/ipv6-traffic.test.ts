// An account whose public instances are dual-stack, a third of the internet's traffic to them over IPv6
// (the generator's --ipv6), in both record versions: the IPv6 clients are outside and none of them reads
// as a scan, the instances' IPv6 addresses are named by their snapshots and placed in their subnets, and
// the planted incident's findings are what they are without IPv6.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from '../../../../tools/gen/generate.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { memoryCase } from '../../../../test-support/case-fixtures.ts';
import { findings } from '../findings/findings.ts';
import { CONNECTIONS_RULE } from '../findings/opening-connections.ts';
import { flowRecords } from './flow-records.ts';
import { AddressOwners } from './address-owners.ts';
import { SubnetsByAddress } from './subnets-by-address.ts';

for (const flowVersion of [5, 2] as const) {
  test(`version ${flowVersion} records with IPv6 clients: outside, no scan of theirs, the instances named and placed by their IPv6 addresses`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailscope-ipv6-'));
    await generateAccount({ out: dir, events: 3000, flows: 3000, seed: 7, shape: { ipv6: 0.3, flowVersion } });
    const truth = JSON.parse(readFileSync(join(dir, 'incident.json'), 'utf8'));
    const db = memoryCase();
    await ingestPaths(db, [join(dir, 'AWSLogs'), join(dir, 'config')]);
    rmSync(dir, { recursive: true, force: true });

    const v6 = flowRecords(db, {}, 5000).records.filter((r) => r.srcaddr?.includes(':'));
    assert.ok(v6.length > 100, `${v6.length} IPv6 records`);
    // The web instances' own addresses, as the snapshots give them, and their subnets by their blocks.
    const own = v6.find((r) => r.srcaddr!.startsWith('2600:1f18:'))!.srcaddr!;
    const instance = new AddressOwners(db).instanceOf(own);
    assert.match(instance ?? '', /^i-[0-9a-f]{17}$/);
    const subnet = new SubnetsByAddress(db).of(own, truth.account);
    assert.match(subnet?.subnet ?? '', /^subnet-/);
    assert.match(subnet?.vpc ?? '', /^vpc-/);

    const all = findings(db).findings;
    const scans = all.filter((f) => f.kind === 'port-scan');
    assert.deepEqual(scans.map((f) => f.sourceIPAddress).sort(), [truth.lateralScan.srcIp, truth.portScan.srcIp].sort(), scans.map((f) => f.title).join('\n'));
    assert.equal(all.filter((f) => f.rule?.id === CONNECTIONS_RULE).length, 1);
    db.close();
  });
}
