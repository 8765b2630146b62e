// Whose history an origin's new values are weighed against (new-values.ts). A role session the case
// cannot follow to whoever assumed it (its issuing call is in another account's trail, before the
// window, or left out of an export) is an origin of its own, named by its session ARN. A session named
// per run (Terraform's, CodeBuild's, an ECS task's, an SDK's default name) is then a new origin at every
// run, and each run's first call from a second region or address read as new: 22 of a day's 65
// findings in a two-account case whose issuing calls were not recorded. So such sessions are weighed
// together with their role's other cut sessions: a value is new when no earlier one of them had used
// it. Any other origin (a user, an instance, a federated subject) is weighed alone.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { countBelow } from '../count-below.ts';
import { originKey } from '../attribution/origin-key.ts';

/**
 * Origins weighed together, by their first use in the case (ascending), and their role when there are
 * several. `index` numbers them in one call: a short key for the many maps keyed by peers and value.
 */
export type Peers = { index: number; role: string | null; members: number[]; firsts: number[] };

const SESSION_KIND = 'role-session';
const MARK = ':assumed-role/';

/**
 * Whom an origin row `o` (origins) is weighed with, in SQL, the one definition: a cut role session's
 * peers are named by its session ARN's text before the session's name (`role arn:…:sts::<account>:
 * assumed-role/<role>`), any other origin is alone (`origin <id>`).
 */
export function peersKeySql(o: string): string {
  const at = `instr(${o}.ident, '${MARK}')`;
  const roleEnd = `instr(substr(${o}.ident, ${at} + ${MARK.length}), '/')`;
  return `CASE WHEN ${o}.kind = '${SESSION_KIND}' AND ${at} > 0 AND ${roleEnd} > 1
    THEN 'role ' || substr(${o}.ident, 1, ${at} + ${MARK.length - 2} + ${roleEnd}) ELSE 'origin ' || ${o}.id END`;
}

/**
 * The peers of each origin of `rows`: a cut role session's are its role's cut sessions among them, any
 * other origin is alone. `first` of a row is its value's first use; an origin's first use is its
 * earliest row's.
 */
export function sessionPeers(db: CaseDb, rows: readonly { origin: number; kind: string; first: number }[]): Map<number, Peers> {
  const firstUse = new Map<number, number>();
  const sessions = new Set<number>();
  for (const r of rows) {
    firstUse.set(r.origin, Math.min(firstUse.get(r.origin) ?? Infinity, r.first));
    if (r.kind === SESSION_KIND) sessions.add(r.origin);
  }
  const keys = peerKeys(db, [...sessions]);
  const byKey = new Map<string, number[]>();
  for (const origin of firstUse.keys()) {
    const key = keys.get(origin) ?? `origin ${origin}`;
    const list = byKey.get(key);
    if (list) list.push(origin);
    else byKey.set(key, [origin]);
  }
  const out = new Map<number, Peers>();
  let index = 0;
  for (const [key, members] of byKey) {
    members.sort((a, b) => firstUse.get(a)! - firstUse.get(b)! || a - b);
    // The role as the words name it: role/<name>.
    const role = key.startsWith('role ') && members.length > 1 ? `role/${key.slice(key.lastIndexOf('/') + 1)}` : null;
    const peers: Peers = { index: index++, role, members, firsts: members.map((m) => firstUse.get(m)!) };
    for (const m of members) out.set(m, peers);
  }
  return out;
}

/**
 * How many events the peers made before `t`, counted up to `atMost`. Each member first used the case
 * before `t` made one at least, so a role of many runs is answered without a query; otherwise each such
 * member's are counted, at most `atMost` in all.
 */
export function peerEventsBefore(db: CaseDb, peers: Peers, t: number, atMost: number): number {
  const acted = countBelow(peers.firsts, t);
  if (acted >= atMost) return atMost;
  const before = stmt(db, 'SELECT count(*) FROM (SELECT 1 FROM event_actors WHERE origin = ? AND event_time < ? LIMIT ?)').pluck();
  let n = 0;
  for (let i = 0; i < acted && n < atMost; i++) n += before.get(peers.members[i], t, atMost - n) as number;
  return Math.min(n, atMost);
}

/**
 * Some origins (an actor report's) with their cut role sessions' peers: the other sessions of those
 * roles, read as a range of the origins' key index each (`role-session|arn:…:assumed-role/<role>/…`).
 */
export function withSessionPeers(db: CaseDb, origins: number[]): number[] {
  const out = new Set(origins);
  const siblings = stmt(db, `SELECT id FROM origins o WHERE origin_key > ? AND origin_key < ? AND ${peersKeySql('o')} = ?`).pluck();
  for (const key of new Set(peerKeys(db, origins).values())) {
    // The session ARNs of a role share their text up to the '/' before the session's name; '0' follows '/'.
    const stem = originKey(SESSION_KIND, key.slice('role '.length));
    for (const id of siblings.all(`${stem}/`, `${stem}0`, key) as number[]) out.add(id);
  }
  return [...out];
}

/** The peers' key of each cut role session among `origins` whose ARN names a role. */
function peerKeys(db: CaseDb, origins: number[]): Map<number, string> {
  const out = new Map<number, string>();
  // A crafted case's id past 2^53 is no JSON integer SQLite reads back: such an origin stays alone.
  const asked = origins.filter((o) => Number.isSafeInteger(o));
  if (asked.length === 0) return out;
  const rows = stmt(db, `SELECT id, ${peersKeySql('o')} FROM origins o WHERE kind = '${SESSION_KIND}' AND id IN (SELECT value FROM json_each(?))`)
    .raw().all(JSON.stringify(asked)) as [number, string][];
  for (const [id, key] of rows) if (key.startsWith('role ')) out.set(id, key);
  return out;
}
