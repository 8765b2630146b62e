// Who called which service each hour, as the writer keeps it (owner_service_calls, migration 0138) and
// as the events say it: tests check that the two agree after an ingest however it went (a kill, a failed
// write, a file read twice), in texts so that cases whose strings were interned in another order compare.
import type Database from 'better-sqlite3';
import { ownerOfIdentity } from '../shared/resource-ids.ts';

type Calls = [owner: string, service: string, hour: number, events: number][];
const HOUR_MS = 3_600_000;

export function serviceCalls(db: Database.Database): { stored: Calls; ofEvents: Calls } {
  const stored = db.prepare(`SELECT a.value, s.value, c.hour, c.events FROM owner_service_calls c
    JOIN strings a ON a.id = c.owner JOIN strings s ON s.id = c.event_source`).raw().all() as Calls;
  // Every event's own hour, rounded down here rather than by the code under test.
  const counted = new Map<string, number>();
  for (const [arn, service, time] of db.prepare(`SELECT a.value, s.value, e.event_time FROM event_rows e
    JOIN strings a ON a.id = e.identity_arn JOIN strings s ON s.id = e.event_source`).raw().all() as [string, string, number][]) {
    const k = JSON.stringify([ownerOfIdentity(arn), service, Math.floor(time / HOUR_MS)]);
    counted.set(k, (counted.get(k) ?? 0) + 1);
  }
  const ofEvents = [...counted].map(([k, n]) => [...(JSON.parse(k) as [string, string, number]), n] as Calls[number]);
  return { stored: sorted(stored), ofEvents: sorted(ofEvents) };
}

function sorted(calls: Calls): Calls {
  return calls.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] - b[2]));
}
