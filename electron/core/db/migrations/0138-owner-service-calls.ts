// Who called which AWS service, counted per hour as the events are written (ingest/writer.ts), so the
// graph overview's calls per service (analysis/graph/overview.ts) read stored counts instead of every
// event: that scan held the workbench's one API thread 0.8–1.2 s right after a million-event case
// opened (a click in that second waited), and again at each moment the time slider or Play asked for.
// The whole case sums the counts; a moment sums the hours before its own and reads the events of that
// hour through the time index. Counted per owner as the overview folds identities (an assumed-role
// session under its role, shared/resource-ids.ts ownerOfIdentity): a case with a new session for every
// few calls has tens of thousands of sessions and a few hundred roles. Keyed by interned ids (strings),
// like event_rows; a case of an earlier version gets its counts from its events here, once.
import type Database from 'better-sqlite3';
import { ownerOfIdentity } from '../../../../shared/resource-ids.ts';
import { HourlyCallCounts } from '../call-hours.ts';
import { StringTable } from '../string-table.ts';

export const version = 138;

export const sql = /* sql */ `
CREATE TABLE owner_service_calls (
  hour INTEGER NOT NULL,
  owner INTEGER NOT NULL,
  event_source INTEGER NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (hour, owner, event_source)
) STRICT, WITHOUT ROWID;
`;

export function moveData(db: Database.Database): void {
  // Counted here by identity (the writer's hour, rounded down for times before 1970 too), not by a GROUP
  // BY that sorts every event: a million events hold some tens of thousands of (hour, identity, service) triples.
  // Owners are named after the pass, which may intern their text: the pass holds the connection.
  const byIdentity = new HourlyCallCounts();
  for (const [identity, source, time] of db.prepare(`SELECT identity_arn, event_source, event_time FROM event_rows
    WHERE identity_arn IS NOT NULL AND event_source IS NOT NULL`).raw().iterate() as IterableIterator<[number, number, number]>) {
    byIdentity.add(time, identity, source);
  }
  const strings = new StringTable(db);
  const textOf = db.prepare('SELECT value FROM strings WHERE id = ?').pluck();
  const owners = new Map<number, number>();
  const ownerOf = (identity: number) => {
    let owner = owners.get(identity);
    if (owner === undefined) owners.set(identity, (owner = strings.id(ownerOfIdentity(textOf.get(identity) as string))!));
    return owner;
  };
  const add = db.prepare(`INSERT INTO owner_service_calls (hour, owner, event_source, events) VALUES (?, ?, ?, ?)
    ON CONFLICT(hour, owner, event_source) DO UPDATE SET events = events + excluded.events`);
  byIdentity.forEach((hour, identity, source, n) => add.run(hour, ownerOf(identity), source, n));
}
