// Recomputes the derived analysis tables after an ingest, incrementally: only events stored since the
// last refresh are attributed, and actors are re-resolved only when something that completes a chain
// arrived: new issued credentials (a key's AssumeRole may be ingested after the calls that used it),
// the other account's copy of a cross-account AssumeRole (shared-event-twin.ts), or a record naming an
// Identity Center user id. One transaction, synchronous.
import type { CaseDb } from '../db/open-case.ts';
import { stmt } from './prepared.ts';
import { isoTime, resolveChain, type RecordedIdentity, type Resolution } from './attribution/resolve-chain.ts';
import { resolutionTemplates, type IssueIds, type TemplateAnswer } from './attribution/resolution-templates.ts';
import { CREDENTIAL_FROM, CREDENTIAL_IDS, dbChainLookups, type BatchChainLookups } from './attribution/lookups.ts';
import { withIndexesRebuilt } from './rebuilt-indexes.ts';
import { textsById } from './texts-by-id.ts';
import { chainShapeOf, chainShapeStore, issueRowOf, storedCuts, type StoredCuts } from './attribution/chain-shapes.ts';
import { awaitedRecords, AWAITS_ANY, AWAITS_TWIN } from './attribution/awaited-records.ts';
import { addOriginFacets, recountOriginFacets } from './attribution/origin-facets.ts';
import { addIdentityFirstCalls, recountIdentityFirstCalls } from './attribution/identity-first-calls.ts';
import { originKey } from './attribution/origin-key.ts';
import { sortingWholeTable } from '../db/page-cache.ts';

export type RefreshStats = {
  events: number; newActors: number; reresolved: number; originsChanged: number;
  /** New actors that took their session shape's resolution without a walk (resolution-templates.ts). */
  byTemplate: number;
};

/**
 * A new credential's first event: its time, its access key's text, and the interned ids of the
 * identity columns (IDENTITY_IDS). The other texts are read only for a key its template does not
 * answer (most keys of a churned account are answered by ids alone). The key's credential follows
 * (CREDENTIAL_AT), read here only by the lookups.
 */
type EventRow = [id: number, time: number, key: string | null, ...ids: (number | null)[]];

/** The identity columns an actor row keeps, as interned ids (strings.id), in event_rows and actor_rows alike; then the user name's, which the walk reads too. */
const IDENTITY_IDS = ['access_key_id', 'identity_type', 'identity_arn', 'identity_account', 'principal_id', 'session_issuer_arn',
  'session_name', 'invoked_by', 'source_identity', 'on_behalf_of', 'source_ip', 'user_name'];
/** Where a first event's row holds its actor's number of new events, after its id, time, key text and IDENTITY_IDS; CREDENTIAL_IDS follow. */
const EVENTS_AT = 3 + IDENTITY_IDS.length;
const CREDENTIAL_AT = EVENTS_AT + 1;
/** Where the issue's session ARN and name stand as ids (CREDENTIAL_IDS: c.issued_arn, c.session_name). */
const ISSUED_ARN_ID = CREDENTIAL_AT + 4;
const ISSUED_SESSION_ID = CREDENTIAL_AT + 6;
/** Texts of interned ids kept between batches at most (those of keys walked); past it the cache starts again. */
const NAMED_TEXTS = 50_000;

/** actorKeyOf in SQL, for the set-based statements: of a row `e` with the identity's texts (IDENTITY_TEXTS). */
const IDENTITY_KEY_SQL = `coalesce('arn:' || e.identity_arn, 'svc:' || e.invoked_by,
  'type:' || coalesce(e.identity_type, 'none') || ':' || coalesce(e.principal_id, 'obo:' || e.on_behalf_of, ''))`;
/** The texts IDENTITY_KEY_SQL reads, named from the interned ids of rows `r` (event_rows, or groups of them). */
const IDENTITY_TEXTS = `s1.value AS identity_arn, s2.value AS invoked_by, s3.value AS identity_type, s4.value AS principal_id, s5.value AS on_behalf_of`;
const identityTextJoins = (r: string) => `LEFT JOIN strings s1 ON s1.id = ${r}.identity_arn LEFT JOIN strings s2 ON s2.id = ${r}.invoked_by
  LEFT JOIN strings s3 ON s3.id = ${r}.identity_type LEFT JOIN strings s4 ON s4.id = ${r}.principal_id LEFT JOIN strings s5 ON s5.id = ${r}.on_behalf_of`;
// In SQL ("the SQL naming" below) an event is named by its key's text, else by IDENTITY_KEY_SQL: as
// coalesce, it stops at an empty text where actorKeyOf passes it over.
/** Whether an actor key is spelt as one named without an access key is (IDENTITY_KEY_SQL): only a forged key text can be both. */
const NAMED_LIKE_IDENTITY = `(substr(actor_key, 1, 4) IN ('arn:', 'svc:') OR substr(actor_key, 1, 5) = 'type:')`;

// Each facet of an actor and the event_rows column it counts. (The addresses an instance's SSM agent
// called from are rolled up per origin: attribution/origin-facets.ts.)
const FACETS: [facet: string, column: string][] = [
  ['ip', 'source_ip'], ['ua', 'user_agent'], ['region', 'aws_region'], ['name', 'event_name'], ['error', 'error_code'],
];

const FIRST_EVENT_BATCH = 5000;

/**
 * The credential an event acted with. Without key, ARN or service, the principal id, else the Identity
 * Center user (since July 2025 its records carry neither principalId nor userName: without onBehalfOf
 * every Identity Center user would be one actor).
 */
export function actorKeyOf(key: string | null, arn: string | null, invokedBy: string | null, type: string | null, principalId: string | null,
  onBehalfOf: string | null = null): string {
  if (key) return key;
  if (arn) return `arn:${arn}`;
  if (invokedBy) return `svc:${invokedBy}`;
  return `type:${type ?? 'none'}:${principalId ?? (onBehalfOf !== null ? `obo:${onBehalfOf}` : '')}`;
}

/**
 * Whether the SQL naming names this credential otherwise than actorKeyOf: coalesce stops at the first value
 * that is not NULL (key, ARN, service), an empty text included, where actorKeyOf passes it over.
 */
function keySqlStopsAtEmpty(key: string | null, arn: string | null, invokedBy: string | null): boolean {
  return [key, arn, invokedBy].find((v) => v !== null) === '';
}

export function refreshDerived(db: CaseDb): RefreshStats {
  return db.transaction(() => refreshInTransaction(db))();
}

function refreshInTransaction(db: CaseDb): RefreshStats {
  const stats: RefreshStats = { events: 0, newActors: 0, reresolved: 0, originsChanged: 0, byTemplate: 0 };
  const getState = stmt(db, 'SELECT value FROM analysis_state WHERE key = ?').pluck();
  const setState = stmt(db, 'INSERT INTO analysis_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const lastEvent = (getState.get('last_event') as number | undefined) ?? 0;
  const lastCred = (getState.get('last_credential') as number | undefined) ?? 0;
  const lastName = (getState.get('last_store_name') as number | undefined) ?? 0;
  const maxEvent = (stmt(db, 'SELECT max(id) FROM event_rows').pluck().get() as number | null) ?? 0;
  const maxCred = (stmt(db, 'SELECT max(rowid) FROM credentials').pluck().get() as number | null) ?? 0;
  const maxName = (stmt(db, 'SELECT max(rowid) FROM identity_store_names').pluck().get() as number | null) ?? 0;
  if (maxEvent <= lastEvent && maxCred <= lastCred && maxName <= lastName) return stats;

  const recorder = awaitedRecords(dbChainLookups(db));
  const lookups = recorder.lookups;
  const origins = originStore(db);
  const lastActor = (stmt(db, 'SELECT max(id) FROM actor_rows').pluck().get() as number | null) ?? 0;
  const shapes = chainShapeStore(db);
  const insertActor = stmt(db, `INSERT INTO actor_rows (actor_key, access_key_id, identity_type, identity_arn, identity_account, principal_id,
    session_issuer_arn, session_name, invoked_by, source_identity, on_behalf_of, first_ip, origin, proven, chain_shape, chain_issue, chain_event,
    chain_time, flags, instance_id, first_seen, awaits, only_event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // The first event of every credential among the new events that is no actor yet, kept in a temporary
  // table rather than in memory (a one-key-per-call account has a credential per call): grouped passes
  // over the interned ids of event_rows (integers sort fast), named after grouping. The first is the
  // earliest in time, not the lowest row id: ids follow the order files reached the writer (readers
  // finish in any order), and the actor keeps its first event's time and address. (SQLite gives a bare
  // column the row of the group's min().) Keyed events are grouped by the key's id alone, whose text
  // names the actor; the others by the identity columns, then by the key those name. A key spelt as
  // such a name (a forged record) joins that second grouping, so one actor still gets one first event,
  // and only those keys are grouped as text (a new key for every call: 86 → about 60 ms per 100,000 events).
  // Each group also counts its events: the events the new actor is given below (the SQL naming names the
  // same groups), so an actor of one event names it as its only event here (migration 0099) rather than
  // by an update after its events are attributed. A named group holding keyed rows (a forged or damaged
  // record) leaves the count unknown: no only event, its one event rolled up like any.
  db.exec('DROP TABLE IF EXISTS temp.new_actor_firsts; CREATE TEMP TABLE new_actor_firsts (first_id INTEGER PRIMARY KEY, events INTEGER)');
  const newActors = sortingWholeTable(db, () => stmt(db, `INSERT INTO temp.new_actor_firsts (first_id, events) WITH keyed AS MATERIALIZED (
      -- A key id without its text (a damaged case) is named as the SQL naming names a record with nothing else: 'type:none:'.
      SELECT coalesce(k.value, 'type:none:') AS actor_key, g.first_time, g.first_id, g.n
      FROM (SELECT access_key_id, min(event_time) AS first_time, id AS first_id, count(*) AS n
        FROM event_rows WHERE id > @last AND access_key_id IS NOT NULL GROUP BY 1) g
        LEFT JOIN strings k ON k.id = g.access_key_id),
    unkeyed AS (
      SELECT ${IDENTITY_KEY_SQL} AS actor_key, e.first_time, e.first_id, e.n
      FROM (SELECT ${IDENTITY_TEXTS}, g.first_time, g.first_id, g.n
        FROM (SELECT identity_arn, invoked_by, identity_type, principal_id, on_behalf_of, min(event_time) AS first_time, id AS first_id, count(*) AS n
          FROM event_rows WHERE id > @last AND access_key_id IS NULL GROUP BY 1, 2, 3, 4, 5) g
          ${identityTextJoins('g')}) e),
    named AS (SELECT actor_key, min(first_time), first_id, CASE WHEN count(n) = count(*) THEN sum(n) END AS n
      FROM (SELECT * FROM unkeyed UNION ALL SELECT actor_key, first_time, first_id, NULL FROM keyed WHERE ${NAMED_LIKE_IDENTITY}) GROUP BY actor_key)
    SELECT first_id, n FROM keyed k WHERE NOT ${NAMED_LIKE_IDENTITY} AND NOT EXISTS (SELECT 1 FROM actor_rows a WHERE a.actor_key = k.actor_key)
    UNION ALL
    SELECT first_id, n FROM named n WHERE NOT EXISTS (SELECT 1 FROM actor_rows a WHERE a.actor_key = n.actor_key)`).run({ last: lastEvent }).changes);
  const actorsBefore = stmt(db, 'SELECT count(*) FROM actor_rows').pluck().get() as number;

  // The first events, read in batches in id order (the rows of new keys lie together at the end of the
  // table): one random read per key was most of a churned account's refresh. Each batch's keys are read
  // from the credentials table in one query; batches bound the memory and let the actor rows be written between reads.
  // The key's text and the ids the actor row keeps, from one read of event_rows.
  // The key's credential and its issuing call come with it (CREDENTIAL_IDS, after the identity's ids):
  // one seek of the credentials' key id (the event row's own) in this read, not a query of every batch's keys after it.
  const firstEvents = stmt(db, `SELECT e.id, e.event_time, k.value, ${IDENTITY_IDS.map((c) => `e.${c}`).join(', ')}, f.events, ${CREDENTIAL_IDS}
    FROM (SELECT first_id, events FROM temp.new_actor_firsts WHERE first_id > ? ORDER BY first_id LIMIT ${FIRST_EVENT_BATCH}) f
      JOIN event_rows e ON e.id = f.first_id LEFT JOIN strings k ON k.id = e.access_key_id
      LEFT JOIN credential_rows c ON c.access_key_id = e.access_key_id ${CREDENTIAL_FROM}
    ORDER BY e.id`).raw();
  /** Keys actorKeyOf gives differently from the SQL naming (only an empty text can: ingest stores none), which the SQL filter could not see. */
  const oddKeys = new Set<string>();
  const actorExists = stmt(db, 'SELECT 1 FROM actor_rows WHERE actor_key = ?').pluck();
  const templates = resolutionTemplates();
  // An identity type compared as its interned id (one per text), not named for every key.
  const assumedRoleId = (stmt(db, "SELECT id FROM strings WHERE value = 'AssumedRole'").pluck().get() as number | undefined) ?? null;
  const namedTexts = new Map<number, string>();
  const named = textsById(db, namedTexts);
  const text = (id: number | null) => (id === null ? null : named(id));
  withIndexesRebuilt(db, 'actor_rows', newActors > actorsBefore, () => {
    for (let after = 0; ;) {
      const batch = firstEvents.all(after) as EventRow[];
      if (batch.length === 0) break;
      lookups.prefetched(batch.map((r) => r[2]), batch, CREDENTIAL_AT);
      if (namedTexts.size > NAMED_TEXTS) namedTexts.clear();
      for (const r of batch) addActor(r);
      after = batch[batch.length - 1][0];
    }
  });
  db.exec('DROP TABLE temp.new_actor_firsts');
  function addActor(r: EventRow) {
    const key = r[2];
    // The key's issue, read ahead of the walk (prefetched with the batch): a key of a known template
    // takes its answer without walking (resolution-templates.ts), by the ids of what the walk reads of
    // the identity (IdentityIds: type … on behalf of, and the user name).
    const cred = key !== null ? lookups.credential(key) : undefined;
    const issuedAt = cred?.eventTime != null ? isoTime(cred.eventTime) : null;
    const ids = [r[4], r[5], r[6], r[7], r[14], r[8], r[9], r[10], r[11], r[12]];
    // The issue's session ARN and name as ids (the credential's row as read, before its texts were named).
    const issue: IssueIds = { arn: r[ISSUED_ARN_ID] as number | null, session: r[ISSUED_SESSION_ID] as number | null,
      assumedRole: r[4] !== null && r[4] === assumedRoleId };
    // A key names its actor (actorKeyOf); an empty one is named otherwise, and no template answers it.
    const known = key && issuedAt !== null ? templates.answerFor(key, ids, cred, issuedAt, issue) : undefined;
    if (known) {
      // A template answers only a key whose chain was cut at its own issue (resolution-templates.ts): that
      // issue's row. Its session name, where the shape has it cut, is the actor's own, as the view puts back.
      writeActor(r, key!, known, storedCuts({ shape: known.shape, event: cred!.eventId, time: issuedAt, session: null }, issueRowOf(db, cred!.eventId, cred)), true);
      stats.byTemplate++;
      stats.newActors++;
      return;
    }
    const identity: RecordedIdentity = {
      accessKeyId: key, identityType: text(r[4]), identityArn: text(r[5]), identityAccount: text(r[6]), principalId: text(r[7]),
      userName: text(r[14]), sessionIssuerArn: text(r[8]), sessionName: text(r[9]), invokedBy: text(r[10]), sourceIdentity: text(r[11]),
      onBehalfOf: text(r[12]), firstSeen: r[1], sourceIp: text(r[13]),
    };
    const actorKey = actorKeyOf(key, identity.identityArn, identity.invokedBy, identity.identityType, identity.principalId, identity.onBehalfOf);
    if (oddKeys.has(actorKey)) return;
    // Named otherwise than its group (the SQL naming), this actor's events are not the ones the group counted.
    const odd = keySqlStopsAtEmpty(key, identity.identityArn, identity.invokedBy);
    if (odd) {
      if (actorExists.get(actorKey) !== undefined) return;
      oddKeys.add(actorKey);
    }
    recorder.start();
    const res = resolveChain(identity, lookups);
    const chain = chainShapeOf(res.chain, key, identity.sessionName);
    const answer: TemplateAnswer = { shapeId: shapes.idFor(chain.shape), shape: chain.shape, origin: origins.idFor(res), proven: res.proven,
      flags: res.flags.length === 0 ? '[]' : JSON.stringify(res.flags), instanceId: res.instanceId, awaits: recorder.awaits() };
    writeActor(r, actorKey, answer, storedCuts(chain, issueRowOf(db, res.chain[0]?.issuedBy?.eventId, cred)), !odd);
    if (key) templates.learn(key, ids, cred, res, answer, chain, issue);
    stats.newActors++;
  }
  /** `counted`: the actor's events are those its group counted (EVENTS_AT), so one of them is its only event. */
  function writeActor(r: EventRow, actorKey: string, a: TemplateAnswer, cuts: StoredCuts, counted: boolean) {
    insertActor.run(actorKey, r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], a.origin, a.proven ? 1 : 0,
      a.shapeId, cuts.issue, cuts.event, cuts.time, a.flags, a.instanceId, r[1], a.awaits, counted && r[EVENTS_AT] === 1 ? r[0] : null);
  }

  // Per-event rows are set-based: a million events in SQLite's C loop, not a JS one. More new events
  // than attributed ones (the first refresh): their indexes are built after, as the roll-ups' are.
  const bulk = maxEvent - lastEvent > lastEvent;
  stats.events = withIndexesRebuilt(db, 'event_actors', bulk, () => attributeEvents(db, lastEvent, bulk));

  withIndexesRebuilt(db, 'actor_facet_rows', bulk, () => addFacets(db, lastEvent, lastActor));
  addOriginFacets(db, lastEvent);
  addIdentityFirstCalls(db, lastEvent, bulk);

  // New issued keys, twins or names can complete (or correct) chains resolved earlier: the actors whose
  // walk read something a later record can change are walked again (awaited-records.ts), those awaiting
  // one key only when its issue arrived. Only those whose answer changed are written.
  const twins = newTwinCopies(db, lastEvent);
  const completes = maxCred > lastCred || maxName > lastName || twins;
  if (completes && lastEvent > 0) {
    const moved = new Set<number>();
    Object.assign(stats, reresolveAwaiting(db, recorder, origins, stats, { lastCred, lastActor, twins }, moved));
    recountOriginFacets(db, moved);
    recountIdentityFirstCalls(db, moved);
  }

  setState.run('last_event', Math.max(maxEvent, lastEvent));
  setState.run('last_credential', Math.max(maxCred, lastCred));
  setState.run('last_store_name', Math.max(maxName, lastName));
  return stats;
}

/** The distinct key ids of the events after ? (attributeEvents): query-plans.test.ts pins both plans. */
export const newEventKeys = (bulk: boolean) =>
  `SELECT DISTINCT access_key_id AS id FROM event_rows ${bulk ? '' : 'NOT INDEXED'} WHERE id > ? AND access_key_id IS NOT NULL`;

/**
 * Every event after `lastEvent` given its actor, by the SQL naming. A keyed event's actor is
 * named by its key's text: the new events' distinct keys are named once each (strings, then actors_key)
 * into a temporary table, and the events join it on their key's id. Naming every event's key read two
 * indexes of text per event: 2.3 of the 16 s refresh of a million events with a new key for every call,
 * 1.1 s on a million of the typical account (docs/benchmark-history.md, "Each event finds its actor
 * by its key's id"). An event without a key, or whose key id names no text (a damaged case), is named
 * by its identity.
 * The distinct keys of most of the table (`bulk`: the first refresh) are the key index read whole, in
 * its order; those of a later ingest's events a range of row ids, sorted (the index whole would be read
 * for them too: 19–36 ms against 3 for 20,000 new events in a million).
 */
function attributeEvents(db: CaseDb, lastEvent: number, bulk: boolean): number {
  db.exec('DROP TABLE IF EXISTS temp.new_key_actors; CREATE TEMP TABLE new_key_actors (key INTEGER PRIMARY KEY, actor INTEGER NOT NULL, origin INTEGER NOT NULL)');
  stmt(db, `INSERT INTO temp.new_key_actors (key, actor, origin)
    SELECT k.id, a.id, a.origin FROM (${newEventKeys(bulk)}) n JOIN strings k ON k.id = n.id JOIN actor_rows a ON a.actor_key = k.value`).run(lastEvent);
  const attributed = stmt(db, `INSERT OR REPLACE INTO event_actors (event, actor, origin, event_time)
    SELECT r.id, k.actor, k.origin, r.event_time FROM event_rows r JOIN temp.new_key_actors k ON k.key = r.access_key_id WHERE r.id > @last
    UNION ALL
    SELECT e.id, a.id, a.origin, e.event_time FROM (SELECT r.id, r.event_time, ${IDENTITY_TEXTS}
        FROM event_rows r LEFT JOIN strings k ON k.id = r.access_key_id ${identityTextJoins('r')}
        WHERE r.id > @last AND k.id IS NULL) e
      JOIN actor_rows a ON a.actor_key = ${IDENTITY_KEY_SQL}`).run({ last: lastEvent }).changes;
  db.exec('DROP TABLE temp.new_key_actors');
  return attributed;
}

/**
 * The per-actor roll-ups of the events after `lastEvent`, set-based: the new events grouped once by actor
 * and the interned ids of every faceted column (far fewer groups than events), then one INSERT … SELECT
 * per facet, added to what earlier refreshes counted. Binding a row at a time from JavaScript cost about
 * 7 µs a facet row, most of a one-key-per-call account's refresh (four facet rows per credential).
 *
 * A credential first seen in this refresh (id above `lastActor`) with one event stores no roll-up rows:
 * actors.only_event names the event (set as the actor row is written) and the actor_facets view reads
 * its roll-ups from it (migration 0099). One that had a single event and gains more has that event
 * counted here and only_event cleared.
 */
function addFacets(db: CaseDb, lastEvent: number, lastActor: number): void {
  db.exec('DROP TABLE IF EXISTS temp.facet_demoted; DROP TABLE IF EXISTS temp.facet_groups');
  // A new actor's only event was named as its row was written (its group's count); an older one's is
  // cleared here when new events came to it.
  stmt(db, `CREATE TEMP TABLE facet_demoted AS SELECT a.id, a.only_event FROM actor_rows a
    WHERE a.only_event IS NOT NULL AND a.id IN (SELECT actor FROM event_actors WHERE event > ? AND actor <= ?)`).run(lastEvent, lastActor);
  db.exec('UPDATE actor_rows SET only_event = NULL WHERE id IN (SELECT id FROM temp.facet_demoted)');
  sortingWholeTable(db, () => stmt(db, `CREATE TEMP TABLE facet_groups AS
    SELECT ea.actor, e.source_ip, e.user_agent, e.aws_region, e.event_name, e.error_code,
      count(*) AS n, count(e.error_code) AS errors, min(e.event_time) AS first, max(e.event_time) AS last
    FROM event_actors ea JOIN event_rows e ON e.id = ea.event
    WHERE (ea.event > ? AND ea.event NOT IN (SELECT only_event FROM actor_rows WHERE id > ? AND only_event IS NOT NULL))
      OR ea.event IN (SELECT only_event FROM temp.facet_demoted)
    GROUP BY 1, 2, 3, 4, 5, 6`).run(lastEvent, lastActor));
  for (const [facet, column] of FACETS) {
    // Empty and missing values are no facet; a value is kept as its id (migration 0139). WHERE comes
    // before ON CONFLICT so the upsert parses as one.
    db.prepare(`INSERT INTO actor_facet_rows (actor, facet, value, count, errors, first_seen, last_seen)
      SELECT g.actor, '${facet}', g.${column}, sum(g.n), sum(g.errors), min(g.first), max(g.last)
      FROM facet_groups g JOIN strings s ON s.id = g.${column}
      WHERE s.value <> '' GROUP BY g.actor, g.${column}
      ON CONFLICT(actor, facet, value) DO UPDATE SET count = count + excluded.count, errors = errors + excluded.errors,
        first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)`).run();
  }
  db.exec('DROP TABLE temp.facet_groups; DROP TABLE temp.facet_demoted');
}

// A copy of a credential-issuing call that names its caller and shares its sharedEventID with a copy
// stored earlier that does not (the role owner's, whose caller is only "AWSAccount"): the twin that
// completes a cross-account chain (shared-event-twin.ts). Its key is already in the credentials table
// (the first copy's), so no new credential row says so. Read over the new rows only, a range of the
// primary key (+event_name keeps the planner off the name index, which would visit every old AssumeRole).
export const NEW_TWIN = `SELECT 1 FROM event_rows r WHERE r.id > ? AND r.shared_event_id IS NOT NULL AND r.identity_arn IS NOT NULL
    AND +r.event_name IN (SELECT id FROM strings WHERE value IN ('AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'))
    AND EXISTS (SELECT 1 FROM event_rows o WHERE o.event_name = r.event_name AND o.event_time = r.event_time
      AND o.shared_event_id = r.shared_event_id AND o.id <= ? AND o.identity_arn IS NULL)
  LIMIT 1`;

function newTwinCopies(db: CaseDb, lastEvent: number): boolean {
  return lastEvent > 0 && stmt(db, NEW_TWIN).pluck().get(lastEvent, lastEvent) !== undefined;
}

function reresolveAwaiting(db: CaseDb, recorder: ReturnType<typeof awaitedRecords<BatchChainLookups>>, origins: ReturnType<typeof originStore>,
  stats: RefreshStats, since: { lastCred: number; lastActor: number; twins: boolean }, moved: Set<number>): RefreshStats {
  const lookups = recorder.lookups;
  const update = stmt(db, `UPDATE actor_rows SET origin = ?, proven = ?, chain_shape = ?, chain_issue = ?, chain_event = ?, chain_time = ?, flags = ?,
    instance_id = ?, awaits = ? WHERE id = ?`);
  const settle = stmt(db, 'UPDATE actor_rows SET awaits = ? WHERE id = ?');
  const shapes = chainShapeStore(db);
  const moveEvents = stmt(db, 'UPDATE event_actors SET origin = ? WHERE actor = ?');
  // The actors awaiting any record, those awaiting a twin copy when one arrived, and those awaiting a key
  // issued since the last refresh (the partial index on awaits holds only actors awaiting something: few
  // next to the actors of a churned account); not the actors this refresh made, walked with every record.
  db.exec('DROP TABLE IF EXISTS temp.rewalk; CREATE TEMP TABLE rewalk (id INTEGER PRIMARY KEY)');
  stmt(db, `INSERT OR IGNORE INTO temp.rewalk (id) SELECT id FROM (SELECT id FROM actor_rows WHERE awaits = '${AWAITS_ANY}'
    UNION SELECT id FROM actor_rows WHERE awaits = '${AWAITS_TWIN}' AND ?
    UNION SELECT a.id FROM credential_rows c JOIN strings k ON k.id = c.access_key_id JOIN actor_rows a ON a.awaits = k.value WHERE c.rowid > ?)
    WHERE id <= ?`)
    .run(since.twins ? 1 : 0, since.lastCred, since.lastActor);
  // In batches of ids, each batch's keys read together.
  const batchOf = stmt(db, `SELECT a.id, a.access_key_id AS accessKeyId, a.identity_type AS identityType, a.identity_arn AS identityArn,
    a.identity_account AS identityAccount, a.principal_id AS principalId, a.session_issuer_arn AS sessionIssuerArn, a.session_name AS sessionName,
    a.invoked_by AS invokedBy, a.source_identity AS sourceIdentity, a.on_behalf_of AS onBehalfOf, a.first_seen AS firstSeen, a.first_ip AS sourceIp,
    a.origin, a.chain, r.awaits FROM actors a JOIN actor_rows r ON r.id = a.id
    WHERE a.id IN (SELECT id FROM temp.rewalk WHERE id > ? ORDER BY id LIMIT ${FIRST_EVENT_BATCH}) ORDER BY a.id`);
  for (let after = 0; ;) {
    const rows = batchOf.all(after) as (RecordedIdentity & { id: number; origin: number; chain: string; awaits: string | null })[];
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    lookups.prefetch(rows.map((a) => a.accessKeyId));
    for (const a of rows) {
      recorder.start();
      const res: Resolution = resolveChain({ ...a, userName: userNameOf(a.identityArn) }, lookups);
      const awaits = recorder.awaits();
      const chain = JSON.stringify(res.chain);
      stats.reresolved++;
      if (chain === a.chain) {
        if (awaits !== a.awaits) settle.run(awaits, a.id);
        continue;
      }
      const origin = origins.idFor(res);
      const shape = chainShapeOf(res.chain, a.accessKeyId, a.sessionName);
      const cuts = storedCuts(shape, issueRowOf(db, res.chain[0]?.issuedBy?.eventId));
      update.run(origin, res.proven ? 1 : 0, shapes.idFor(shape.shape), cuts.issue, cuts.event, cuts.time, JSON.stringify(res.flags), res.instanceId,
        awaits, a.id);
      if (origin !== a.origin) {
        moveEvents.run(origin, a.id);
        moved.add(origin).add(a.origin);
        stats.originsChanged++;
      }
    }
  }
  db.exec('DROP TABLE temp.rewalk');
  return stats;
}

function userNameOf(arn: string | null): string | null {
  const m = arn ? /:user\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
  return m ? m[1] : null;
}

/** The origin was named by what other records tell of it, so its label is the newer, fuller one. */
function learnt(res: Resolution): boolean {
  const last = res.chain[res.chain.length - 1];
  return last.names !== undefined || last.issuer !== undefined;
}

function originStore(db: CaseDb) {
  const find = stmt(db, 'SELECT id, label FROM origins WHERE origin_key = ?');
  const insert = stmt(db, 'INSERT INTO origins (origin_key, kind, ident, label, account_id) VALUES (?, ?, ?, ?, ?)');
  const relabel = stmt(db, 'UPDATE origins SET label = ? WHERE id = ?');
  const cache = new Map<string, { id: number; label: string }>();
  return {
    idFor(res: Resolution): number {
      const o = res.origin;
      const key = originKey(o.kind, o.id);
      let known = cache.get(key) ?? (find.get(key) as { id: number; label: string } | undefined);
      if (known === undefined) known = { id: Number(insert.run(key, o.kind, o.id, o.label, o.accountId).lastInsertRowid), label: o.label };
      // A label gains what later records tell (the name of an Identity Center user id, a subject's issuer).
      else if (known.label !== o.label && learnt(res)) {
        relabel.run(o.label, known.id);
        known = { id: known.id, label: o.label };
      }
      cache.set(key, known);
      return known.id;
    },
  };
}
