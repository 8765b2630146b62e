// The issued credentials behind resolveChain, read from the credentials table as the walks need them,
// never held whole: a one-key-per-call account issues a key per call, and an in-memory map of every
// issued key held about 580 bytes a key (2.4 million keys: over a gigabyte). The refresh resolves
// actors in batches: a batch of new actors reads its keys' credentials with their first events and
// hands them over (prefetched()), a batch of actors walked again hands its keys to prefetch(), one
// query over the primary key for them all (microseconds a key, no per-key round trip); either way into
// a cache whose size is bounded. A key asked for outside a batch (a caller's key up the chain) is read
// on its own and cached the same way.
// The fallbacks (a session matched by role and name, the issue that set a sourceIdentity, a subject's
// issuer) read what they need through indexes or small grouped tables built once.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import type { ChainLookups, IssuedCredentialRow } from './resolve-chain.ts';
import { mayHaveTwin, withTwinCaller } from './shared-event-twin.ts';
import { consoleSignIns } from './console-sign-in.ts';
import { storeUserIdsNamed, storeUserNameLookup } from './store-user-names.ts';
import { countBelow } from '../count-below.ts';
import { sessionIssueChooser } from './session-issues.ts';

const CRED_COLUMNS = `c.access_key_id AS accessKeyId, c.kind, c.issued_at AS issuedAt, c.expires_at AS expiresAt,
  c.issued_arn AS issuedArn, c.role_arn AS roleArn, c.session_name AS sessionName, c.source_identity AS sourceIdentity,
  c.caller_arn AS callerArn, c.caller_type AS callerType, c.caller_key AS callerKey, c.caller_ip AS callerIp,
  c.subject, c.issuer, e.event_id AS eventId, en.value AS eventName, e.event_time AS eventTime, ua.value AS callerAgent, e.id AS eventRow,
  ca.value AS callerAccount`;

// event_rows, not the events view: a view on the right of a LEFT JOIN is materialized whole.
const ISSUING_EVENT = `LEFT JOIN event_rows e ON e.id = c.issued_event LEFT JOIN strings en ON en.id = e.event_name
  LEFT JOIN strings ua ON ua.id = e.user_agent LEFT JOIN strings ca ON ca.id = e.identity_account`;

// By key, the walks' one read per credential: the stored ids of credential_rows and of the issuing
// event, named after through a cache (a churned account's keys share their role, caller, kind and
// issuing call's name; the view joined a text for each of thirteen columns of every key).
/**
 * What the walks read of a credential `c`, its key's text `ck` and its issuing call `ie`, in
 * CredentialTuple's order (ids where a text is stored as one); CREDENTIAL_FROM joins the last two.
 */
export const CREDENTIAL_IDS = `ck.value, c.kind, c.issued_at, c.expires_at, c.issued_arn, c.role_arn, c.session_name, c.source_identity,
  c.caller_arn, c.caller_type, c.caller_key, c.caller_ip, c.subject, c.issuer, ie.event_id, ie.event_name, ie.event_time, ie.user_agent, ie.id,
  ie.identity_account`;
export const CREDENTIAL_FROM = 'LEFT JOIN strings ck ON ck.id = c.access_key_id LEFT JOIN event_rows ie ON ie.id = c.issued_event';
const BY_KEYS = `SELECT ${CREDENTIAL_IDS} FROM credential_rows c ${CREDENTIAL_FROM}
  WHERE c.access_key_id IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(?)))`;
const NAMES = `SELECT id, value FROM strings WHERE id IN (SELECT value FROM json_each(?))`;
/** The columns of CREDENTIAL_IDS that hold a strings.id. */
const NAMED_COLUMNS = [1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 17, 19];
// One row of the credentials view, asked once per key: `+?`, or SQLite prepares it again at each ask (prepared.ts).
const BY_ROWID = `SELECT ${CRED_COLUMNS} FROM credentials c ${ISSUING_EVENT} WHERE c.rowid = +?`;
// Every issue that set a sourceIdentity, as (sourceIdentity, time, started a chain, row): grouped in memory below.
const SOURCE_IDENTITIES = `SELECT source_identity, issued_at, caller_type IS NOT 'AssumedRole', rowid FROM credentials
  WHERE source_identity IS NOT NULL ORDER BY issued_at, rowid`;
const SUBJECT_ISSUERS = `SELECT DISTINCT kind, subject, issuer FROM credentials WHERE subject IS NOT NULL AND issuer IS NOT NULL`;

/** Credentials kept between asks at most; past it the cache starts again (a batch's keys are asked for together). */
const CACHED_KEYS = 20_000;
/** Texts kept by id between batches at most, likewise. */
const CACHED_NAMES = 50_000;

/** A row of CRED_COLUMNS, in its order. */
type CredentialTuple = [
  accessKeyId: string, kind: string, issuedAt: number | null, expiresAt: number | null, issuedArn: string | null, roleArn: string | null,
  sessionName: string | null, sourceIdentity: string | null, callerArn: string | null, callerType: string | null, callerKey: string | null,
  callerIp: string | null, subject: string | null, issuer: string | null, eventId: string | null, eventName: string | null,
  eventTime: number | null, callerAgent: string | null, eventRow: number | null, callerAccount: string | null,
];

/**
 * The issues that set one sourceIdentity, oldest first: time (-Infinity: none recorded), the index of the
 * latest issue up to this one whose caller started a chain (-1: none), its row.
 */
type SourceIdentityIssues = { at: number[]; lastStart: number[]; rowids: number[] };

export type BatchChainLookups = ChainLookups & {
  /** Reads the credentials of these keys in one query, ahead of the walks that will ask for them. */
  prefetch(keys: readonly (string | null)[]): void;
  /**
   * Takes the credentials of these keys as a caller's query read them: CREDENTIAL_IDS from column
   * `from` of each row (all NULL where the case holds no issue of the key), copied, so the walks ask
   * no query of their own.
   */
  prefetched(keys: readonly (string | null)[], rows: readonly (readonly (string | number | null)[])[], from: number): void;
};

/** Lookups over the case's credentials table; nothing is read before it is asked for. */
export function dbChainLookups(db: CaseDb, bounds: { cachedNames?: number } = {}): BatchChainLookups {
  const cachedNames = bounds.cachedNames ?? CACHED_NAMES;
  /** Key → its credential, or null when the case holds no issue of it. */
  const cache = new Map<string, IssuedCredentialRow | null>();
  // A cross-account issue known only by the caller's account is completed from its other copy, once per cached row.
  const completed = new WeakSet<IssuedCredentialRow>();
  const complete = (row: IssuedCredentialRow): IssuedCredentialRow => {
    if (completed.has(row) || !mayHaveTwin(row)) return row;
    const full = withTwinCaller(db, row);
    completed.add(full);
    if (cache.get(full.accessKeyId) === row) cache.set(full.accessKeyId, full);
    return full;
  };
  const remember = (key: string, row: IssuedCredentialRow | null) => {
    if (cache.size >= CACHED_KEYS) cache.clear();
    cache.set(key, row);
  };
  const chooseSessionIssue = sessionIssueChooser(db);
  let sourceIdentities: Map<string, SourceIdentityIssues> | undefined;
  let subjectIssuers: Map<string, Set<string>> | undefined;
  const names = new Map<number, string>();
  /** The credentials of these keys (those the case holds), their ids named. */
  const read = (keys: string[]): CredentialTuple[] => nameIds(stmt(db, BY_KEYS).raw().all(JSON.stringify(keys)) as (string | number | null)[][]);
  /** Rows of CREDENTIAL_IDS with their ids named, in place. */
  const nameIds = (rows: (string | number | null)[][]): CredentialTuple[] => {
    const named = new Set<number>();
    for (const r of rows) for (const c of NAMED_COLUMNS) if (r[c] !== null) named.add(r[c] as number);
    let unnamed = [...named].filter((id) => !names.has(id));
    // Past the bound the cache starts again with this batch's texts, all of them read.
    if (names.size + unnamed.length > cachedNames) {
      names.clear();
      unnamed = [...named];
    }
    if (unnamed.length) for (const [id, value] of stmt(db, NAMES).raw().iterate(JSON.stringify(unnamed)) as IterableIterator<[number, string]>) names.set(id, value);
    for (const r of rows) for (const c of NAMED_COLUMNS) if (r[c] !== null) r[c] = names.get(r[c] as number) ?? null;
    return rows as CredentialTuple[];
  };

  return {
    prefetch(keys) {
      const wanted = [...new Set(keys)].filter((k): k is string => k !== null && !cache.has(k));
      if (wanted.length === 0) return;
      if (cache.size + wanted.length > CACHED_KEYS) cache.clear();
      for (const r of read(wanted)) cache.set(r[0], rowOf(r));
      for (const k of wanted) if (!cache.has(k)) cache.set(k, null);
    },
    prefetched(keys, rows, from) {
      if (cache.size + keys.length > CACHED_KEYS) cache.clear();
      const found: (string | number | null)[][] = [];
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (key === null || cache.has(key)) continue;
        if (rows[i][from] === null) cache.set(key, null);
        else found.push(rows[i].slice(from));
      }
      for (const r of nameIds(found)) cache.set(r[0], rowOf(r));
    },
    credential(key) {
      let row = cache.get(key);
      if (row === undefined) {
        const r = read([key])[0] as CredentialTuple | undefined;
        row = r ? rowOf(r) : null;
        remember(key, row);
      }
      return row ? complete(row) : undefined;
    },
    credentialBySession(roleArn, sessionName, at, ip) {
      const m = /^arn:([\w-]+):iam::(\d{12}):role\/(.+)$/.exec(roleArn);
      if (!m) return undefined;
      // Role ARNs in credentials may carry an IAM path; issued_arn (assumed-role ARN) never does, so match on it.
      const sessionArn = `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${sessionName}`;
      // A key live at the use (a session cannot outlive its credential; an expired one means another,
      // unseen AssumeRole), as session-issues.ts chooses it.
      const chosen = chooseSessionIssue(sessionArn, at, ip);
      if (!chosen) return undefined;
      const row = complete(rowOf(stmt(db, BY_ROWID).raw().get(chosen.rowid) as CredentialTuple));
      return { row, ipMatched: chosen.ipMatched, agentMatched: chosen.agentMatched };
    },
    credentialBySourceIdentity(sourceIdentity, at) {
      // sourceIdentity is set once, on the first AssumeRole of a chain, and every later hop carries it:
      // the latest issue before the use whose caller started a chain (not itself a role session) set it.
      const issues = (sourceIdentities ??= loadSourceIdentities(db)).get(sourceIdentity);
      if (!issues) return undefined;
      // A search, not a walk: a person's every role assumption can carry their sourceIdentity, and each
      // key no recorded call issued asks. Times are whole milliseconds: those below at + 1 are at or before it.
      const live = at === null ? issues.at.length : countBelow(issues.at, at + 1);
      if (live === 0) return undefined;
      const pick = issues.lastStart[live - 1] >= 0 ? issues.lastStart[live - 1] : live - 1;
      const r = stmt(db, BY_ROWID).raw().get(issues.rowids[pick]) as CredentialTuple;
      return complete(rowOf(r));
    },
    consoleSignIn: consoleSignIns(db),
    subjectIssuer(kind, subject) {
      const issuers = (subjectIssuers ??= loadSubjectIssuers(db)).get(`${kind}|${subject}`);
      return issuers?.size === 1 ? [...issuers][0] : undefined;
    },
    storeUserNames: storeUserNameLookup(db),
    storeUserIdsNamed: (userName) => storeUserIdsNamed(db, userName),
  };
}

// Raw rows made into objects here: one object literal of one shape is several times cheaper than the
// driver's named rows.
function rowOf(r: CredentialTuple): IssuedCredentialRow {
  return {
    accessKeyId: r[0], kind: r[1], issuedAt: r[2], expiresAt: r[3], issuedArn: r[4], roleArn: r[5], sessionName: r[6], sourceIdentity: r[7],
    callerArn: r[8], callerType: r[9], callerKey: r[10], callerIp: r[11], subject: r[12], issuer: r[13], eventId: r[14], eventName: r[15],
    eventTime: r[16], callerAgent: r[17], eventRow: r[18], callerAccount: r[19],
  };
}

/**
 * The issues of every sourceIdentity, oldest first (NULL times first, ties in stored order): numbers
 * only, read the first time a broken chain asks (most cases never do).
 */
function loadSourceIdentities(db: CaseDb): Map<string, SourceIdentityIssues> {
  const map = new Map<string, SourceIdentityIssues>();
  for (const [si, at, starts, rowid] of stmt(db, SOURCE_IDENTITIES).raw().iterate() as IterableIterator<[string, number | null, number, number]>) {
    let issues = map.get(si);
    if (!issues) map.set(si, (issues = { at: [], lastStart: [], rowids: [] }));
    const i = issues.at.length;
    issues.at.push(at ?? -Infinity);
    issues.lastStart.push(starts === 1 ? i : i > 0 ? issues.lastStart[i - 1] : -1);
    issues.rowids.push(rowid);
  }
  return map;
}

/** Issuers by "<kind>|<subject>" of the SAML and web identity calls: one entry per subject, not per key. */
function loadSubjectIssuers(db: CaseDb): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const [kind, subject, issuer] of stmt(db, SUBJECT_ISSUERS).raw().iterate() as IterableIterator<[string, string, string]>) {
    const k = `${kind}|${subject}`;
    const set = map.get(k);
    if (set) set.add(issuer);
    else map.set(k, new Set([issuer]));
  }
  return map;
}
