// The source addresses, user agents and regions of every origin of the case (the person, instance or
// role behind its keys), each with its first use and its count: what newValueFindings weighs. Two ways
// to the same rows, the cheaper one for the case at hand:
//  - from the per-credential roll-ups (actor_facet_rows, and the single-event credentials' own event,
//    migration 0099): a few rows per credential, so cheap while credentials are few next to events;
//  - from the events themselves (event_actors joined to event_rows, the values' interned ids grouped
//    in memory): one read of the events, cheaper once credentials are many (a new key for every call:
//    1.5 million roll-up rows for a million events, whose grouping by text cost 13–16 s against ~3 s).
// A roll-up row is by definition its credential's events grouped by value (refresh-derived.ts
// addFacets: count, first time, empty values left out), so both give the same rows, in the same order
// (origin, facet, value as SQLite's GROUP BY sorts them).
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';

export type OriginRollup = { origin: number; kind: string; label: string; facet: 'ip' | 'ua' | 'region'; value: string; first: number; n: number };

/** Origins whose values are not weighed: AWS services and whole accounts act for many. */
const SKIPPED_KINDS = "('aws-service', 'aws-account')";

/**
 * What a credential costs the roll-up way, in events read the other way: at least three roll-up rows
 * (an address, an agent, a region), each grouped by its text at about 1.5 times the cost of an event
 * row grouped by interned id (measured on the million-event cases).
 */
const EVENTS_PER_CREDENTIAL = 4.5;

/** Whether reading the events costs less than reading the per-credential roll-ups (a new key for every call or so). */
export function eventsCheaperThanRollups(db: CaseDb): boolean {
  const credentials = stmt(db, 'SELECT count(*) FROM actor_rows INDEXED BY actors_origin').pluck().get() as number;
  const events = stmt(db, 'SELECT count(*) FROM event_actors INDEXED BY event_actors_origin_time').pluck().get() as number;
  return credentials * EVENTS_PER_CREDENTIAL > events;
}

export function originRollups(db: CaseDb): OriginRollup[] {
  return eventsCheaperThanRollups(db) ? rollupsFromEvents(db) : rollupsFromFacets(db);
}

/**
 * Through the actor_facets view filtered on its own column (pushed into each arm), joined to the base
 * tables: joining the view itself to `actors` made SQLite build the whole view first.
 */
export function rollupsFromFacets(db: CaseDb): OriginRollup[] {
  return stmt(db, `SELECT a.origin, o.kind, o.label, f.facet, f.value, min(f.first_seen) AS first, sum(f.count) AS n
    FROM actor_facets f JOIN actor_rows a ON a.id = f.actor JOIN origins o ON o.id = a.origin
    WHERE f.facet IN ('ip', 'ua', 'region') AND o.kind NOT IN ${SKIPPED_KINDS}
    GROUP BY a.origin, f.facet, f.value`).all() as OriginRollup[];
}

const FACET_COLUMNS = [['ip', 'source_ip'], ['region', 'aws_region'], ['ua', 'user_agent']] as const;

/** Per origin and facet: value id → [first time, count]. */
type Groups = Map<number, [number, number]>[];

export function rollupsFromEvents(db: CaseDb): OriginRollup[] {
  const origins = new Map((stmt(db, `SELECT id, kind, label FROM origins WHERE kind NOT IN ${SKIPPED_KINDS}`).raw().all() as [number, string, string][])
    .map(([id, kind, label]) => [id, { kind, label }]));
  const empty = stmt(db, "SELECT id FROM strings WHERE value = ''").pluck().get() as number | undefined;
  const byOrigin = new Map<number, Groups>();
  const rows = stmt(db, `SELECT a.origin, ea.event_time, ${FACET_COLUMNS.map(([, c]) => `e.${c}`).join(', ')}
    FROM event_actors ea JOIN actor_rows a ON a.id = ea.actor JOIN event_rows e ON e.id = ea.event`).raw();
  for (const r of rows.iterate() as Iterable<[number, number, ...(number | null)[]]>) {
    let groups = byOrigin.get(r[0]);
    if (!groups) {
      if (!origins.has(r[0])) continue;
      byOrigin.set(r[0], (groups = FACET_COLUMNS.map(() => new Map())));
    }
    const time = r[1];
    for (let k = 0; k < FACET_COLUMNS.length; k++) {
      const id = r[2 + k];
      if (id === null || id === empty) continue;
      const g = groups[k].get(id);
      if (!g) groups[k].set(id, [time, 1]);
      else {
        if (time < g[0]) g[0] = time;
        g[1]++;
      }
    }
  }
  const text = stmt(db, 'SELECT value FROM strings WHERE id = ?').pluck();
  const out: OriginRollup[] = [];
  for (const origin of [...byOrigin.keys()].sort((a, b) => a - b)) {
    const { kind, label } = origins.get(origin)!;
    byOrigin.get(origin)!.forEach((values, k) => {
      const facet = FACET_COLUMNS[k][0];
      const named = [...values].map(([id, [first, n]]) => ({ origin, kind, label, facet, value: text.get(id) as string, first, n }));
      out.push(...named.sort((a, b) => binaryOrder(a.value, b.value)));
    });
  }
  return out;
}

/**
 * SQLite's BINARY order of two texts (UTF-8 bytes, that is code points), which JavaScript's < (UTF-16
 * code units) breaks only past U+FFFF against U+E000–U+FFFF.
 */
export function binaryOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (0xD800–0xDFFF) starts a code point above every one of U+E000–U+FFFF.
    const surrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
    if (surrogate(x) !== surrogate(y) && Math.max(x, y) >= 0xe000) return surrogate(x) ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
