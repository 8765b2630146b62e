// The issued-key map behind resolveChain: every issued credential read once per refresh (one query in
// rowid order) and indexed in memory by key and by role session. Walking a chain is then map reads,
// microseconds per credential, instead of two indexed queries per key and per link (about a
// millisecond each on a cold case file, which made a one-key-per-call account ten times slower).
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import type { ChainLookups, IssuedCredentialRow } from './resolve-chain.ts';
import { mayHaveTwin, withTwinCaller } from './shared-event-twin.ts';
import { consoleSignInBefore } from './console-sign-in.ts';
import { storeUserIdsNamed, storeUserNameLookup } from './store-user-names.ts';

const CRED_COLUMNS = `c.access_key_id AS accessKeyId, c.kind, c.issued_at AS issuedAt, c.expires_at AS expiresAt,
  c.issued_arn AS issuedArn, c.role_arn AS roleArn, c.session_name AS sessionName, c.source_identity AS sourceIdentity,
  c.caller_arn AS callerArn, c.caller_type AS callerType, c.caller_key AS callerKey, c.caller_ip AS callerIp,
  c.subject, c.issuer, e.event_id AS eventId, en.value AS eventName, e.event_time AS eventTime, ua.value AS callerAgent`;

// event_rows, not the events view: a view on the right of a LEFT JOIN is materialized whole.
const ISSUING_EVENT = `LEFT JOIN event_rows e ON e.id = c.issued_event LEFT JOIN strings en ON en.id = e.event_name
  LEFT JOIN strings ua ON ua.id = e.user_agent`;

// The user agent of a session's first call (its time and ARN are known): the event-time index, then the interned ARN.
const AGENT_AT = `SELECT s.value FROM event_rows r JOIN strings s ON s.id = r.user_agent
  WHERE r.event_time = ? AND r.identity_arn = (SELECT id FROM strings WHERE value = ?) LIMIT 1`;

/** A row of CRED_COLUMNS, in its order. */
type CredentialTuple = [
  accessKeyId: string, kind: string, issuedAt: number | null, expiresAt: number | null, issuedArn: string | null, roleArn: string | null,
  sessionName: string | null, sourceIdentity: string | null, callerArn: string | null, callerType: string | null, callerKey: string | null,
  callerIp: string | null, subject: string | null, issuer: string | null, eventId: string | null, eventName: string | null,
  eventTime: number | null, callerAgent: string | null,
];

type IssuedKeyMap = {
  byKey: Map<string, IssuedCredentialRow>;
  byIssuedArn: Map<string, IssuedCredentialRow[]>;
  bySourceIdentity: Map<string, IssuedCredentialRow[]>;
  /** Issuers by "<kind>|<subject>" of the SAML and web identity calls. */
  issuersOfSubject: Map<string, Set<string>>;
};

/** Lookups over the case's credentials table; the map is built on first use, so a refresh with nothing to resolve reads nothing. */
export function dbChainLookups(db: CaseDb): ChainLookups {
  let map: IssuedKeyMap | undefined;
  const issued = () => (map ??= loadIssuedKeys(db));
  // A cross-account issue known only by the caller's account is completed from its other copy, once.
  const twinChecked = new Set<IssuedCredentialRow>();
  const complete = (row: IssuedCredentialRow): IssuedCredentialRow => {
    if (!mayHaveTwin(row) || twinChecked.has(row)) return row;
    const full = withTwinCaller(db, row);
    twinChecked.add(full);
    if (full !== row) {
      issued().byKey.set(full.accessKeyId, full);
      const list = full.issuedArn !== null ? issued().byIssuedArn.get(full.issuedArn) : undefined;
      if (list) list[list.indexOf(row)] = full;
    }
    return full;
  };
  return {
    credential(key) {
      const row = issued().byKey.get(key);
      return row && complete(row);
    },
    credentialBySession(roleArn, sessionName, at, ip) {
      const m = /^arn:([\w-]+):iam::(\d{12}):role\/(.+)$/.exec(roleArn);
      if (!m) return undefined;
      // Role ARNs in credentials may carry an IAM path; issued_arn (assumed-role ARN) never does, so match on it.
      const sessionArn = `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${sessionName}`;
      const rows = issued().byIssuedArn.get(sessionArn) ?? [];
      // Keys issued before the use and not yet expired (a session cannot outlive its credential; an expired
      // one means another, unseen AssumeRole); the latest such, preferring one asked for from the same
      // address, then with the same user agent as the session's first call.
      const pool = rows.filter((r) => at === null || ((r.issuedAt ?? 0) <= at && (r.expiresAt === null || r.expiresAt >= at)));
      if (pool.length === 0) return undefined;
      const agent = at === null ? undefined : stmt(db, AGENT_AT).pluck().get(at, sessionArn) as string | undefined;
      const score = (r: IssuedCredentialRow) => (ip && r.callerIp === ip ? 2 : 0) + (agent && r.callerAgent === agent ? 1 : 0);
      let best = pool[pool.length - 1];
      for (const r of pool) if (score(r) >= score(best)) best = r;
      return { row: complete(best), ipMatched: !!ip && best.callerIp === ip, agentMatched: !!agent && best.callerAgent === agent };
    },
    credentialBySourceIdentity(sourceIdentity, at) {
      // sourceIdentity is set once, on the first AssumeRole of a chain, and every later hop carries it:
      // the latest issue before the use whose caller started a chain (not itself a role session) set it.
      const rows = (issued().bySourceIdentity.get(sourceIdentity) ?? []).filter((r) => at === null || (r.issuedAt ?? 0) <= at);
      const starts = rows.filter((r) => r.callerType !== 'AssumedRole');
      const row = (starts.length > 0 ? starts : rows).at(-1);
      return row && complete(row);
    },
    consoleSignIn(identityArn, at) {
      return consoleSignInBefore(db, identityArn, at);
    },
    subjectIssuer(kind, subject) {
      const issuers = issued().issuersOfSubject.get(`${kind}|${subject}`);
      return issuers?.size === 1 ? [...issuers][0] : undefined;
    },
    storeUserNames: storeUserNameLookup(db),
    storeUserIdsNamed: (userName) => storeUserIdsNamed(db, userName),
  };
}

function loadIssuedKeys(db: CaseDb): IssuedKeyMap {
  const byKey = new Map<string, IssuedCredentialRow>();
  const byIssuedArn = new Map<string, IssuedCredentialRow[]>();
  const bySourceIdentity = new Map<string, IssuedCredentialRow[]>();
  const issuersOfSubject = new Map<string, Set<string>>();
  // Raw rows made into objects here: one object literal of one shape is several times cheaper than the
  // driver's named rows, and a churned account issues a key per call.
  for (const r of stmt(db, `SELECT ${CRED_COLUMNS} FROM credentials c ${ISSUING_EVENT} ORDER BY c.rowid`).raw().iterate() as IterableIterator<CredentialTuple>) {
    const row: IssuedCredentialRow = {
      accessKeyId: r[0], kind: r[1], issuedAt: r[2], expiresAt: r[3], issuedArn: r[4], roleArn: r[5], sessionName: r[6], sourceIdentity: r[7],
      callerArn: r[8], callerType: r[9], callerKey: r[10], callerIp: r[11], subject: r[12], issuer: r[13], eventId: r[14], eventName: r[15],
      eventTime: r[16], callerAgent: r[17],
    };
    byKey.set(row.accessKeyId, row);
    if (row.sourceIdentity !== null) append(bySourceIdentity, row.sourceIdentity, row);
    if (row.issuedArn !== null) append(byIssuedArn, row.issuedArn, row);
    if (row.subject !== null && row.issuer !== null) {
      const k = `${row.kind}|${row.subject}`;
      const set = issuersOfSubject.get(k);
      if (set) set.add(row.issuer);
      else issuersOfSubject.set(k, new Set([row.issuer]));
    }
  }
  // Oldest issue first, as ORDER BY issued_at did (NULL first; ties keep insertion order: the sort is stable).
  for (const map of [byIssuedArn, bySourceIdentity]) {
    for (const list of map.values()) list.sort((a, b) => (a.issuedAt ?? -Infinity) - (b.issuedAt ?? -Infinity));
  }
  return { byKey, byIssuedArn, bySourceIdentity, issuersOfSubject };
}

function append(map: Map<string, IssuedCredentialRow[]>, key: string, row: IssuedCredentialRow): void {
  const list = map.get(key);
  if (list) list.push(row);
  else map.set(key, [row]);
}
