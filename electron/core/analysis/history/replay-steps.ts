// What a replay of a resource's configuration reads (a security group's rules: sg-versions.ts; a
// network ACL's entries: acl-versions.ts): its configuration snapshots and its successful changing
// calls with their records, in one order. At one time a snapshot comes first, and the calls keep the
// timeline's order (their eventIDs): changes within one second (CloudTrail's resolution) replay alike
// however the case was ingested.
import type { CaseDb } from '../../db/open-case.ts';
import { readRawEvent } from '../../db/raw-events.ts';
import { stmt } from '../prepared.ts';
import { timeOrder } from '../event-order.ts';
import { configWithinBound } from './stored-config.ts';

export type ReplayStep<S> =
  | { kind: 'snap'; time: number; id: number; state: S; at: number }
  | { kind: 'event'; time: number; id: number; raw: Record<string, unknown>; at: number };

/** One version a replay gives: a snapshot, or the state a call left (with the state before it). */
export type ReplayedVersion<S> = {
  /** resource_versions.id for a snapshot; the negated events.id for a replayed version. */
  versionId: number;
  origin: 'snapshot' | 'event';
  time: number;
  eventRow: number | null;
  before: S | null;
  after: S;
};

/** The touches of a link that changed its resource (the rest read or used it). */
export const MUTATING_TOUCHES = `('created','modified','deleted','attached','detached')`;
/**
 * Changing calls and snapshots a replay reads: the latest ones. A group an automation rewrites all day,
 * or a crafted case of a million calls on one ACL, stays a bounded read; a replay that starts after
 * earlier calls it left out says so as a replay from nothing does (incomplete, until a snapshot).
 */
export const MAX_REPLAYED_CALLS = 2_000;
const MAX_REPLAYED_SNAPSHOTS = 500;

/**
 * The snapshots of `resourceId` (each read by `fromSnapshot` from its stored text; one too long to read,
 * stored-config.ts, is left out rather than parsed and copied into each version the replay makes) and its
 * successful changing calls, in replay order.
 */
export function replaySteps<S>(db: CaseDb, resourceId: string, fromSnapshot: (config: string) => S): ReplayStep<S>[] {
  const snaps = (stmt(db, `SELECT id, observed_at AS time, config FROM resource_versions WHERE resource_id = ? AND origin = 'snapshot'
    AND ${configWithinBound('config')} ORDER BY observed_at DESC, id DESC LIMIT ${MAX_REPLAYED_SNAPSHOTS}`).all(resourceId) as { id: number; time: number; config: string }[]).reverse();
  const events = (stmt(db, `SELECT e.id, e.event_time AS time FROM event_resources r JOIN events e ON e.id = r.event
    WHERE r.resource_id = ? AND r.touch IN ${MUTATING_TOUCHES} AND e.error_code IS NULL ORDER BY ${timeOrder('e.event_time', 'e.id', 'DESC')} LIMIT ${MAX_REPLAYED_CALLS}`)
    .all(resourceId) as { id: number; time: number }[]).reverse()
    .map((e) => ({ ...e, raw: readRawEvent(db, e.id) }))
    .filter((e): e is { id: number; time: number; raw: Record<string, unknown> } => e.raw !== null);
  return [
    ...snaps.map((s, at) => ({ kind: 'snap' as const, id: s.id, time: s.time, state: fromSnapshot(s.config), at })),
    ...events.map((e, at) => ({ kind: 'event' as const, ...e, at })),
  ].sort((a, b) => a.time - b.time || (a.kind === b.kind ? a.at - b.at : a.kind === 'snap' ? -1 : 1));
}
