// Who called which service, as the writer keeps it (owner_service_calls, migration 0138) and as the
// events say it: tests check that the two agree after an ingest however it went (a kill, a failed
// write, a file read twice), in texts so that cases whose strings were interned in another order compare.
import type Database from 'better-sqlite3';
import { ownerOfIdentity } from '../shared/resource-ids.ts';

type Calls = [owner: string, service: string, events: number][];

export function serviceCalls(db: Database.Database): { stored: Calls; ofEvents: Calls } {
  const stored = db.prepare(`SELECT a.value, s.value, c.events FROM owner_service_calls c
    JOIN strings a ON a.id = c.owner JOIN strings s ON s.id = c.event_source`).raw().all() as Calls;
  const byOwner = new Map<string, number>();
  for (const [arn, service, n] of db.prepare(`SELECT a.value, s.value, g.n FROM (SELECT identity_arn, event_source, count(*) AS n FROM event_rows
    WHERE identity_arn IS NOT NULL AND event_source IS NOT NULL GROUP BY 1, 2) g
    JOIN strings a ON a.id = g.identity_arn JOIN strings s ON s.id = g.event_source`).raw().all() as Calls) {
    const k = `${ownerOfIdentity(arn)}\u0000${service}`;
    byOwner.set(k, (byOwner.get(k) ?? 0) + n);
  }
  const ofEvents = [...byOwner].map(([k, n]) => [...k.split('\u0000'), n] as Calls[number]);
  return { stored: sorted(stored), ofEvents: sorted(ofEvents) };
}

function sorted(calls: Calls): Calls {
  return calls.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}
