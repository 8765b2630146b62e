// Discovery sweeps: many distinct read-only calls (List*/Describe*/Get*) by one credential in a short
// window, enumeration of the account. Windows are merged into runs as bursts.ts does. An identity that
// sweeps again and again (Terraform plans, CI jobs, inventory tools: each run a new session of the same
// origin) does what it always does: its sweeps are one finding, saying how many and over what span,
// not one a run. On the generator's typical day of a million events those were 1,087 low findings
// from a dozen identities; an identity that sweeps once or twice keeps a finding per sweep.
import type { Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, stmt } from '../prepared.ts';
import { MAX_EVENT_IDS, eventFactsMany, findingOf } from './finding-events.ts';
import { recordedName } from './recorded-names.ts';
import type { ActorScope } from './new-values.ts';
import { EVENT_ORDER } from '../event-order.ts';
import { binaryOrder } from '../../text-order.ts';
import { merge, type Run, type Win } from './bursts.ts';
import { largestRuns } from './analyzer-caps.ts';

export const SWEEP_DISTINCT_CALLS = 10;
const SWEEP_MAX_MS = 2 * 3600_000;
/** Sweeps by one origin (the person, role or pipeline behind its sessions) from which they are its routine, told as one finding. */
export const ROUTINE_SWEEPS = 3;

/** Discovery sweeps in windows of `windowMinutes`; what was left out over the analyzers' bound goes to `notes`. */
export function sweepFindings(db: CaseDb, actors: Map<number, ResolvedActor>, windowMinutes: number, notes: string[], scope?: ActorScope): Finding[] {
  const W = Math.max(1, windowMinutes) * 60_000;
  // Only the windows of credentials with a window over the threshold can make a run that counts: the
  // others stay in SQLite (a million one-call credentials have 430,000 windows of read-only calls).
  // Without a scope, the credentials that could sweep at all may be few next to the events: then only
  // their events are read (sweepCandidates).
  const sweepScope = scope ? [JSON.stringify(scope.actorIds)] : sweepCandidates(db);
  const windows = stmt(db, `WITH w AS MATERIALIZED (
      SELECT ea.actor AS key, e.event_time / ${W} AS w, count(*) AS n, count(DISTINCT e.event_name) AS kinds, max(e.event_time) AS last
      FROM event_rows e JOIN event_actors ea ON ea.event = e.id WHERE e.read_only = 1
        ${sweepScope ? 'AND ea.actor IN (SELECT value FROM json_each(?))' : ''} GROUP BY 1, 2)
    SELECT * FROM w WHERE key IN (SELECT key FROM w WHERE kinds >= ${SWEEP_DISTINCT_CALLS})`).all(...(sweepScope ?? [])) as Win[];
  const sweepEvents = stmt(db, `SELECT e.id FROM event_actors ea JOIN event_rows e ON e.id = ea.event
    WHERE ea.actor = ? AND e.event_time >= ? AND e.event_time < ? AND e.read_only = 1 ORDER BY ${EVENT_ORDER} LIMIT ${MAX_EVENT_IDS}`).pluck();
  // An identity that lists all day long is an inventory tool, not a sweep: only bursts that start and stop.
  const runs = merge(windows, (w) => w.kinds >= SWEEP_DISTINCT_CALLS).filter((r) => (r.to - r.from + 1) * W <= SWEEP_MAX_MS);
  const firstCall = stmt(db, `SELECT e.event_time AS time, e.event_id AS id FROM event_actors ea JOIN event_rows e ON e.id = ea.event
    WHERE ea.actor = ? AND e.event_time >= ? AND e.event_time < ? AND e.read_only = 1 ORDER BY ${EVENT_ORDER} LIMIT 1`);
  const originOf = stmt(db, 'SELECT origin FROM actor_rows WHERE id = ?').pluck();
  const byOrigin = new Map<number, Run[]>();
  for (const r of runs) {
    const origin = (originOf.get(r.key) as number | undefined) ?? -r.key;
    const list = byOrigin.get(origin);
    if (list) list.push(r);
    else byOrigin.set(origin, [r]);
  }
  // One finding per routine origin (its first sweep's events stand for all), one per sweep otherwise.
  const told: (Run & { sweeps: Run[] })[] = [];
  for (const list of byOrigin.values()) {
    if (list.length < ROUTINE_SWEEPS) told.push(...list.map((r) => ({ ...r, sweeps: [r] })));
    else {
      const first = firstSweep(list, (r) => firstCall.get(r.key, r.from * W, (r.to + 1) * W) as Call | undefined);
      // Folded, not spread into Math.max: a crafted origin may hold hundreds of thousands of runs.
      told.push({ ...first, n: list.reduce((sum, r) => sum + r.n, 0), last: list.reduce((max, r) => Math.max(max, r.last), -Infinity), sweeps: list });
    }
  }
  const out: Finding[] = [];
  for (const b of largestRuns(told, 'discovery-sweep', notes)) {
    const events = eventFactsMany(db, sweepEvents.all(b.key, b.from * W, (b.to + 1) * W) as number[]);
    if (!events.length) continue;
    const f = findingOf(db, actors, {
      kind: 'discovery-sweep', category: 'discovery', severity: 'low', value: null, count: b.n, lastTime: b.last,
      title: `Discovery sweep by ${recordedName(db, events[0].arn)}: ${b.n} read-only calls`,
      detail: `Many distinct List/Describe/Get calls in a short time: enumeration of the account (also what inventory tools and Terraform plans do).`,
    }, events);
    if (b.sweeps.length === 1) out.push(f);
    else {
      const who = f.actor?.origin.label ?? recordedName(db, events[0].arn);
      out.push({
        ...f, title: `${b.sweeps.length} discovery sweeps by ${who}: ${b.n} read-only calls`,
        detail: `${who} swept the account's List/Describe/Get calls ${b.sweeps.length} times from ${iso(b.from * W)} to ${iso(b.last)}: what it does routinely `
          + `(Terraform plans, CI jobs and inventory tools do), told once; its first sweep's calls are listed.`,
      });
    }
  }
  return out;
}

type Call = { time: number; id: string };

/**
 * A routine origin's first sweep: the one in its earliest window, and of sweeps by several of its
 * credentials that start in that window, the one whose first call comes first in the timeline. Not the
 * first in the list: credentials are numbered in the order their files were read, which two readers
 * make differ from one ingest to the next, and so did the finding's calls.
 */
function firstSweep(list: Run[], firstCall: (r: Run) => Call | undefined): Run {
  const from = list.reduce((min, r) => Math.min(min, r.from), Infinity);
  const tied = list.filter((r) => r.from === from);
  if (tied.length === 1) return tied[0];
  const calls = tied.map((r) => ({ r, call: firstCall(r) }));
  const rank = (c: Call | undefined) => c ?? { time: Infinity, id: '' };
  calls.sort((a, b) => rank(a.call).time - rank(b.call).time || binaryOrder(rank(a.call).id, rank(b.call).id) || a.r.key - b.r.key);
  return calls[0].r;
}

/** What reading an event by its credential costs, in events read in order (a random page against the next one: about 5 µs against 0.8). */
const RANDOM_READS_PER_SCANNED_EVENT = 6;

/**
 * The credentials that made at least SWEEP_DISTINCT_CALLS different calls, as a scope argument, when
 * reading their events one credential at a time costs less than reading every event; else null. Only
 * they can have a window of that many different calls. Their stored roll-ups say which they are (a
 * 'name' row per different call): a credential of a single call has none, and a new key for every call
 * leaves a million events with about a hundred such credentials.
 */
function sweepCandidates(db: CaseDb): [string] | null {
  const rows = stmt(db, `SELECT actor, sum(count) FROM actor_facet_rows WHERE facet = 'name' GROUP BY actor HAVING count(*) >= ${SWEEP_DISTINCT_CALLS}`)
    .raw().all() as [number, number][];
  const theirs = rows.reduce((n, r) => n + r[1], 0);
  const events = stmt(db, 'SELECT count(*) FROM event_actors').pluck().get() as number;
  return theirs * RANDOM_READS_PER_SCANNED_EVENT < events ? [JSON.stringify(rows.map((r) => r[0]))] : null;
}
