// Which security groups guarded an interface at a moment: the groups of the interface (or its
// instance) from snapshots, then changed by the calls that set them (RunInstances at launch,
// ModifyInstanceAttribute / ModifyNetworkInterfaceAttribute group swaps), latest before the moment.
import type { CaseDb } from '../../db/open-case.ts';
import { readRawEvent } from '../../db/raw-events.ts';
import { changeOf } from '../history/changes.ts';
import { stmt } from '../prepared.ts';

export type GroupsAt = { groups: string[]; basis: 'snapshot' | 'event' | 'none'; eventRow: number | null; time: number | null };

export function instanceOfInterface(db: CaseDb, eni: string): string | null {
  return (stmt(db, `SELECT dst FROM edges WHERE src = ? AND kind = 'eni-instance' LIMIT 1`).pluck().get(eni) as string | undefined) ??
    (stmt(db, `SELECT instance_id FROM flows WHERE interface_id = ? AND instance_id IS NOT NULL LIMIT 1`).pluck().get(eni) as string | undefined) ?? null;
}

/** Groups of an ENI (or instance) at `at`: the later of the snapshot edges and the last group-setting call before `at`. */
export function groupsAt(db: CaseDb, resourceId: string, at: number): GroupsAt {
  const kind = resourceId.startsWith('eni-') ? 'eni-security-group' : 'instance-security-group';
  const snap = stmt(db, `SELECT dst, valid_from AS vf FROM edges WHERE src = ? AND kind = ? AND (valid_to IS NULL OR valid_to > ?)`)
    .all(resourceId, kind, at) as { dst: string; vf: number | null }[];
  const snapTime = snap.length ? Math.min(...snap.map((s) => s.vf ?? 0)) : null;
  const calls = stmt(db, `SELECT e.id, e.event_time AS t FROM event_resources r JOIN events e ON e.id = r.event
    WHERE r.resource_id = ? AND e.event_name IN ('RunInstances', 'ModifyInstanceAttribute', 'ModifyNetworkInterfaceAttribute', 'CreateNetworkInterface')
      AND e.error_code IS NULL AND e.event_time <= ? ORDER BY e.event_time DESC, e.id DESC LIMIT 10`).all(resourceId, at) as { id: number; t: number }[];
  for (const c of calls) {
    const raw = readRawEvent(db, c.id);
    if (!raw) continue;
    const ch = changeOf(raw, resourceId);
    const groups = ch.kind === 'instance-attribute' ? ch.groupsAfter : ch.kind === 'instance-launch' ? ch.groups : null;
    if (!groups || groups.length === 0) continue;
    // A snapshot taken after this call already reflects it (and anything later); prefer the snapshot then.
    if (snapTime !== null && snapTime > c.t && snapTime <= at) break;
    return { groups, basis: 'event', eventRow: c.id, time: c.t };
  }
  if (snap.length) return { groups: snap.map((s) => s.dst), basis: 'snapshot', eventRow: null, time: snapTime };
  return { groups: [], basis: 'none', eventRow: null, time: null };
}
