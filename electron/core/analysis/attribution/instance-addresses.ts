// The addresses an instance is known to own, from configuration snapshots of the instance and of the
// interfaces attached to it, and from its SSM agent's own calls. Instance-profile credentials used from
// any other address were most likely taken from the metadata service and used elsewhere.
import type { ActorFlag } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { originKey } from './origin-key.ts';
import { configWithinBound, storedConfig } from '../history/stored-config.ts';
import { originLabelSql } from './origin-label.ts';

const ADDRESS_KEYS = /^(privateipaddress|publicipaddress|publicip|ipv6address|carrierip|customerownedip)$/i;
/** Versions read of the instance and of each interface attached to it, and at most ten times that in all. */
const VERSIONS_READ = 200;
const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+:[0-9a-f:]*)$/i;

export function instanceAddresses(db: CaseDb, instanceId: string): string[] {
  // The latest versions of each, read only up to the stored-text bound: an instance and its interfaces
  // snapshotted every hour for a year are thousands of versions with the same few addresses.
  const configs = stmt(db, `SELECT config FROM (
      SELECT v.config, row_number() OVER (PARTITION BY v.resource_id ORDER BY v.observed_at DESC, v.id DESC) AS latest
      FROM resource_versions v WHERE v.resource_id IN (SELECT ? UNION SELECT src FROM edges WHERE dst = ? AND src LIKE 'eni-%'
        UNION SELECT dst FROM edges WHERE src = ? AND dst LIKE 'eni-%')
    ) WHERE latest <= ${VERSIONS_READ} AND ${configWithinBound('config')} LIMIT ${VERSIONS_READ * 10}`)
    .pluck().all(instanceId, instanceId, instanceId) as string[];
  const found = new Set<string>();
  for (const text of configs) for (const address of addressesInConfig(text)) found.add(address);
  // The SSM agent runs on the instance itself, so the address its calls come from is the instance's
  // (or its NAT's) even when the instance is gone from the snapshots. A thief could imitate the agent;
  // this is evidence, not proof, like everything else here. Read from the instance's stored roll-ups
  // (attribution/origin-facets.ts): the origin of every session of an instance is the instance.
  const agent = stmt(db, `SELECT s.value FROM origins o JOIN origin_facet_rows f ON f.origin = o.id AND f.facet = 'agent-ip'
    JOIN strings s ON s.id = f.value WHERE o.origin_key = ?`).pluck().all(originKey('instance', instanceId)) as string[];
  for (const ip of agent) if (IP.test(ip)) found.add(ip);
  return [...found].sort();
}

/** The addresses a stored configuration of an instance or interface names: private, public, IPv6, carrier, customer-owned. */
export function addressesInConfig(text: string): string[] {
  const found = new Set<string>();
  collect(storedConfig(text), found, 0);
  return [...found];
}

function collect(value: unknown, out: Set<string>, depth: number): void {
  if (depth > 12 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' && ADDRESS_KEYS.test(k) && IP.test(v)) out.add(v);
    else if (typeof v === 'object') collect(v, out, depth + 1);
  }
}

/** A source "IP" that is really an AWS service name or internal marker, never an address to check. */
export function isServiceAddress(ip: string): boolean {
  return !IP.test(ip);
}

/**
 * Flags each source address of an instance-profile credential that is not one of the instance's own.
 * With no addresses in the case, every public address is flagged with addressesKnown = false and
 * names the other identities that used the same address (an attacker's own key often shares it), a
 * look-up per address: `sharers: false` leaves it out where only the addresses flagged are wanted.
 * `known`: the instance's own addresses, when the caller has read them already.
 */
export function offInstanceFlags(db: CaseDb, instanceId: string, sourceIps: string[], { sharers = true, known = instanceAddresses(db, instanceId) } = {}): ActorFlag[] {
  const flags: ActorFlag[] = [];
  // Who else called from the address: the origins whose stored roll-ups hold it (a look-up per origin;
  // through the actor_facets view it read every single-call credential, 0.4 s on a million).
  const others = stmt(db, `SELECT DISTINCT ${originLabelSql('o')} AS label FROM origins o CROSS JOIN origin_facet_rows f
      ON f.origin = o.id AND f.facet = 'ip' AND f.value = (SELECT id FROM strings WHERE value = ?)
    WHERE o.kind != 'instance' ORDER BY label LIMIT 5`).pluck();
  for (const ip of sourceIps) {
    if (isServiceAddress(ip)) continue;
    if (known.includes(ip)) continue;
    if (known.length === 0 && isPrivate(ip)) continue;
    const names = sharers ? (others.all(ip) as string[]).filter(Boolean) : [];
    const shared = names.length > 0 ? `; the same address also carried calls by ${names.join(', ')}` : '';
    flags.push({
      kind: 'instance-credentials-off-instance',
      instanceId,
      sourceIp: ip,
      knownAddresses: known,
      addressesKnown: known.length > 0,
      detail: known.length > 0
        ? `credentials of instance ${instanceId} used from ${ip}, not one of its addresses (${known.join(', ')})${shared}`
        : `credentials of instance ${instanceId} used from public address ${ip}; the instance's own addresses are not in the case, so this cannot be confirmed${shared}`,
    });
  }
  return flags;
}

export function isPrivate(ip: string): boolean {
  return /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.|169\.254\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/.test(ip) || /^(fc|fd|fe80)/i.test(ip) || /^::1?$/.test(ip);
}

export function isPublicAddress(ip: string | null): boolean {
  return !!ip && !isServiceAddress(ip) && !isPrivate(ip) && ip !== '0.0.0.0';
}
