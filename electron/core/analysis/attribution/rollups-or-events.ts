// Whether to read some credentials' per-credential roll-ups (actor_facets) or their events. A
// credential's roll-ups are at least three rows (an address, an agent, a region), each grouped at about
// 1.5 times the cost of an event row grouped by interned id (measured on the million-event cases when
// the roll-ups were grouped by their text; credential-facets.ts groups them by id since session 41, and
// its reports on those cases took the same time), and a credential used once has its roll-ups read from
// its event. So for credentials of few calls each (a new key for every call, a Lambda function's cold
// starts) the events themselves cost less.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';

/** What a credential costs the roll-up way, in events read the other way. */
const EVENTS_PER_CREDENTIAL = 4.5;

function eventsCheaperThanRollups(credentials: number, events: number): boolean {
  return credentials * EVENTS_PER_CREDENTIAL > events;
}

/**
 * Whether these credentials' events cost less than their roll-ups (the events counted through
 * event_actors' index by actor), counted only as far as the answer needs: one past what the credentials' roll-ups cost. The 4,667 keys of a
 * million-event case's instance role have 232,751 events, 6–12 ms to count whole, 1–2 ms to the bound.
 */
export function actorsEventsCheaperThanRollups(db: CaseDb, actorIds: readonly number[]): boolean {
  const enough = Math.floor(actorIds.length * EVENTS_PER_CREDENTIAL) + 1;
  const events = stmt(db, 'SELECT count(*) FROM (SELECT 1 FROM event_actors WHERE actor IN (SELECT value FROM json_each(?)) LIMIT ?)')
    .pluck().get(JSON.stringify(actorIds), enough) as number;
  return eventsCheaperThanRollups(actorIds.length, events);
}
