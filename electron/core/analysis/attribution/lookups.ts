// Database lookups behind resolveChain: issued credentials by key, and by role + session name.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import type { ChainLookups, IssuedCredentialRow } from './resolve-chain.ts';

const CRED_COLUMNS = `c.access_key_id AS accessKeyId, c.kind, c.issued_at AS issuedAt, c.expires_at AS expiresAt,
  c.issued_arn AS issuedArn, c.role_arn AS roleArn, c.session_name AS sessionName, c.source_identity AS sourceIdentity,
  c.caller_arn AS callerArn, c.caller_type AS callerType, c.caller_key AS callerKey, c.caller_ip AS callerIp,
  c.subject, e.event_id AS eventId, en.value AS eventName, e.event_time AS eventTime`;

// event_rows, not the events view: a view on the right of a LEFT JOIN is materialized whole.
const ISSUING_EVENT = `LEFT JOIN event_rows e ON e.id = c.issued_event LEFT JOIN strings en ON en.id = e.event_name`;

export function dbChainLookups(db: CaseDb): ChainLookups {
  const byKey = stmt(db, `SELECT ${CRED_COLUMNS} FROM credentials c ${ISSUING_EVENT} WHERE c.access_key_id = ?`);
  // Role ARNs in credentials may carry an IAM path; issued_arn (assumed-role ARN) never does, so match on it.
  const bySession = stmt(db, `SELECT ${CRED_COLUMNS} FROM credentials c ${ISSUING_EVENT}
    WHERE c.issued_arn = ? ORDER BY c.issued_at`);
  const cache = new Map<string, IssuedCredentialRow | undefined>();
  return {
    credential(key) {
      if (!cache.has(key)) cache.set(key, byKey.get(key) as IssuedCredentialRow | undefined);
      return cache.get(key);
    },
    credentialBySession(roleArn, sessionName, at, ip) {
      const m = /^arn:([\w-]+):iam::(\d{12}):role\/(.+)$/.exec(roleArn);
      if (!m) return undefined;
      const sessionArn = `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${sessionName}`;
      const rows = bySession.all(sessionArn) as IssuedCredentialRow[];
      // Keys issued before the use and not yet expired; the latest such, preferring one asked for from the same IP.
      const live = rows.filter((r) => at === null || ((r.issuedAt ?? 0) <= at && (r.expiresAt === null || r.expiresAt >= at)));
      const pool = live.length > 0 ? live : rows.filter((r) => at === null || (r.issuedAt ?? 0) <= at);
      if (pool.length === 0) return undefined;
      const sameIp = ip ? pool.filter((r) => r.callerIp === ip) : [];
      if (sameIp.length > 0) return { row: sameIp[sameIp.length - 1], ipMatched: true };
      return { row: pool[pool.length - 1], ipMatched: false };
    },
  };
}
