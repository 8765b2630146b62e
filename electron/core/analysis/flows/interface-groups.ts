// Which security groups guarded an interface at a moment: the groups of the interface (or its
// instance) from snapshots, then changed by the calls that set them (RunInstances and
// CreateNetworkInterface at creation, ModifyInstanceAttribute / ModifyNetworkInterfaceAttribute group
// swaps), latest before the moment. An instance terminated before the snapshot is missing from it, so
// for the traffic it carried the calls are often the only record of its groups.
import type { CaseDb } from '../../db/open-case.ts';
import { readRawEvent } from '../../db/raw-events.ts';
import { stmt } from '../prepared.ts';
import { changingCalls } from '../history/changing-calls.ts';
import { addressesOfInterfaceInCall, GROUP_SETTING_CALLS, groupsOfCall, instanceOfInterfaceInCall } from './groups-of-call.ts';
import { instanceAddresses } from '../attribution/instance-addresses.ts';

export type GroupsAt = {
  groups: string[];
  basis: 'snapshot' | 'event' | 'none';
  eventRow: number | null;
  time: number | null;
  /** The resource the groups were recorded on: the interface itself or its instance. */
  via?: string;
};

const NONE: GroupsAt = { groups: [], basis: 'none', eventRow: null, time: null };

export function instanceOfInterface(db: CaseDb, eni: string): string | null {
  const known = (stmt(db, `SELECT dst FROM edges WHERE src = ? AND kind = 'eni-instance' LIMIT 1`).pluck().get(eni) as string | undefined) ??
    (stmt(db, `SELECT instance_id FROM flow_interfaces WHERE interface_id = ? AND instance_id NOT IN ('', '-') ORDER BY last_start DESC LIMIT 1`).pluck().get(eni) as string | undefined);
  if (known) return known;
  for (const raw of callsMaking(db, eni, ['RunInstances', 'AttachNetworkInterface'])) {
    const instance = instanceOfInterfaceInCall(raw, eni);
    if (instance) return instance;
  }
  return null;
}

/** Calls read for an interface's instance or addresses: those that made it (or attached it) come first. */
const CALLS_READ = 10;

/** The successful calls that made or attached an interface, first first: what they say of it survives the snapshots. */
function callsMaking(db: CaseDb, eni: string, names: string[]): Record<string, unknown>[] {
  const ids = stmt(db, `SELECT r.event FROM event_resources r JOIN events e ON e.id = r.event
    WHERE r.resource_id = ? AND e.event_name IN (SELECT value FROM json_each(?)) AND e.error_code IS NULL ORDER BY e.event_time, e.event_id LIMIT ${CALLS_READ}`)
    .pluck().all(eni, JSON.stringify(names)) as number[];
  return ids.map((id) => readRawEvent(db, id)).filter((raw): raw is Record<string, unknown> => raw !== null);
}

/**
 * The addresses an interface is known to have: its instance's (snapshots of it and its interfaces,
 * instance-addresses.ts) and those the calls that made it gave it (RunInstances, CreateNetworkInterface),
 * which an instance terminated before any snapshot still has. `instance`: the interface's, when the
 * caller has read it already.
 */
export function interfaceAddresses(db: CaseDb, eni: string, instance = instanceOfInterface(db, eni)): string[] {
  const found = new Set(instance ? instanceAddresses(db, instance) : []);
  for (const raw of callsMaking(db, eni, ['RunInstances', 'CreateNetworkInterface'])) for (const a of addressesOfInterfaceInCall(raw, eni)) found.add(a);
  return [...found].sort();
}

/** The VPC of an interface or of its instance, from the snapshots' edges. */
export function vpcOf(db: CaseDb, eni: string | null, instance: string | null): string | null {
  for (const [id, kind] of [[eni, 'eni-vpc'], [instance, 'instance-vpc']] as const) {
    if (!id) continue;
    const v = stmt(db, `SELECT dst FROM edges WHERE src = ? AND kind = ? LIMIT 1`).pluck().get(id, kind) as string | undefined;
    if (v) return v;
  }
  return null;
}

/** Groups of an ENI (or instance) at `at`: the later of the snapshot edges and the last group-setting call before `at`. */
export function groupsAt(db: CaseDb, resourceId: string, at: number): GroupsAt {
  const kind = resourceId.startsWith('eni-') ? 'eni-security-group' : 'instance-security-group';
  const snap = stmt(db, `SELECT dst, valid_from AS vf FROM edges WHERE src = ? AND kind = ? AND (valid_to IS NULL OR valid_to > ?)`)
    .all(resourceId, kind, at) as { dst: string; vf: number | null }[];
  const snapTime = snap.length ? Math.min(...snap.map((s) => s.vf ?? 0)) : null;
  // Each sets the groups of the instance or interface it creates or modifies.
  const calls = changingCalls(db, resourceId, GROUP_SETTING_CALLS, at, 20);
  for (const c of calls) {
    const raw = readRawEvent(db, c.id);
    const groups = raw ? groupsOfCall(raw, resourceId) : null;
    if (!groups || groups.length === 0) continue;
    // A snapshot taken after this call already reflects it (and anything later); prefer the snapshot then.
    if (snapTime !== null && snapTime > c.t && snapTime <= at) break;
    return { groups, basis: 'event', eventRow: c.id, time: c.t, via: resourceId };
  }
  if (snap.length) return { groups: snap.map((s) => s.dst), basis: 'snapshot', eventRow: null, time: snapTime, via: resourceId };
  return NONE;
}

/**
 * Groups guarding an interface at `at`, looking at the interface and at its instance (a group swap on
 * the instance applies to its primary interface): the latest call of either wins, then a snapshot.
 */
export function interfaceGroupsAt(db: CaseDb, eni: string, at: number, instanceHint?: string | null): GroupsAt & { instanceId: string | null } {
  const instanceId = instanceHint ?? instanceOfInterface(db, eni);
  const own = groupsAt(db, eni, at);
  const inst = instanceId ? groupsAt(db, instanceId, at) : NONE;
  const byEvent = [own, inst].filter((g) => g.basis === 'event').sort((a, b) => (b.time ?? 0) - (a.time ?? 0));
  if (byEvent.length) return { ...byEvent[0], instanceId };
  if (own.basis === 'snapshot') return { ...own, instanceId };
  return { ...inst, instanceId };
}

/** How many instances and interfaces that ever carried a group are checked against its moment (a fleet's group: a bound, said when reached). */
export const CARRIERS_CHECKED = 500;

/**
 * The instances a security group guarded at `at`, the inverse of groupsAt: the instances and interfaces
 * that ever carried it (a snapshot's relation, or a call that gave it: a launch, a group swap), each
 * checked by its own groups at that moment (an interface counts for its instance). Sorted, with how
 * many were checked and whether more than `limit` (at most CARRIERS_CHECKED) had to be left unchecked.
 */
export function instancesGuardedAt(db: CaseDb, groupId: string, at: number, limit = CARRIERS_CHECKED): { instances: string[]; checked: number; cut: boolean } {
  // A call gives a group by attaching it (a launch, a group swap, a new interface): the group's links
  // read by its fleet's describes and used by rules naming it are passed over, over the interned tables.
  const candidates = stmt(db, `SELECT src FROM edges WHERE dst = @g AND kind IN ('instance-security-group', 'eni-security-group')
    UNION SELECT so.value FROM event_resource_rows g JOIN event_resource_rows o ON o.event = g.event JOIN strings so ON so.id = o.resource
      WHERE g.resource = (SELECT id FROM strings WHERE value = @g) AND g.event_time <= @at AND g.touch = (SELECT id FROM strings WHERE value = 'attached')
        AND o.resource_type IN (SELECT id FROM strings WHERE value IN ('instance', 'network-interface'))
    LIMIT @n`).pluck().all({ g: groupId, at, n: Math.min(limit, CARRIERS_CHECKED) + 1 }) as string[];
  const checked = candidates.slice(0, Math.min(limit, CARRIERS_CHECKED));
  // Snapshots stand for the times before them too (groupsAt): one launched after the moment did not exist then.
  const createdAfter = stmt(db, `SELECT 1 FROM event_resource_rows WHERE resource = (SELECT id FROM strings WHERE value = ?) AND event_time > ?
    AND touch = (SELECT id FROM strings WHERE value = 'created') LIMIT 1`).pluck();
  const guarded = new Set<string>();
  for (const id of checked) {
    if (createdAfter.get(id, at) !== undefined) continue;
    if (id.startsWith('eni-')) {
      const of = interfaceGroupsAt(db, id, at);
      if (of.groups.includes(groupId)) guarded.add(of.instanceId ?? id);
    } else if (groupsAt(db, id, at).groups.includes(groupId)) guarded.add(id);
  }
  return { instances: [...guarded].sort(), checked: checked.length, cut: candidates.length > checked.length };
}
