// Who called which AWS service, counted as the events are written (ingest/writer.ts), so the graph
// overview's calls per service (analysis/graph/overview.ts) read a few hundred rows instead of every
// event: that scan held the workbench's one API thread 0.8–1.2 s right after a million-event case
// opened, and a click in that second waited. Counted per owner as the overview folds identities (an
// assumed-role session under its role, shared/resource-ids.ts ownerOfIdentity): a case with a new
// session for every few calls has tens of thousands of sessions and a few hundred roles. Keyed by
// interned ids (strings), like event_rows; a case of an earlier version gets its counts from its
// events here, once.
import type Database from 'better-sqlite3';
import { ownerOfIdentity } from '../../../../shared/resource-ids.ts';
import { StringTable } from '../string-table.ts';

export const version = 138;

export const sql = /* sql */ `
CREATE TABLE owner_service_calls (
  owner INTEGER NOT NULL,
  event_source INTEGER NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (owner, event_source)
) STRICT, WITHOUT ROWID;
`;

export function moveData(db: Database.Database): void {
  const strings = new StringTable(db);
  const add = db.prepare(`INSERT INTO owner_service_calls (owner, event_source, events) VALUES (?, ?, ?)
    ON CONFLICT(owner, event_source) DO UPDATE SET events = events + excluded.events`);
  const perIdentity = db.prepare(`SELECT a.value, g.event_source, g.n FROM (SELECT identity_arn, event_source, count(*) AS n FROM event_rows
    WHERE identity_arn IS NOT NULL AND event_source IS NOT NULL GROUP BY 1, 2) g JOIN strings a ON a.id = g.identity_arn`).raw().all() as [string, number, number][];
  for (const [arn, source, n] of perIdentity) add.run(strings.id(ownerOfIdentity(arn)), source, n);
}
