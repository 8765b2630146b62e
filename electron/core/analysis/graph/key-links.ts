// An access key's neighbours at T: the identity it belongs to (the user of a long-term key, the
// session an STS key was issued to, and who asked for it) and the addresses it was used from, each
// with the number of calls up to T. A key is not a principal in the events, so the generic "acted
// on" and "source-ip" edges (keyed by identity ARN) never reach it.
import type { GraphEdge, GraphNode } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { isServiceAddress } from '../attribution/instance-addresses.ts';
import { iso, stmt } from '../prepared.ts';
import { ipNodeId } from './ip-nodes.ts';

type Cred = { issuedArn: string | null; issuedAt: number | null; expiresAt: number | null; callerArn: string | null; kind: string };

const LONG_TERM = new Set(['IAMUser', 'Root']);

/** The account of the call that issued the key: a temporary key is that call's credential, not a resource holding one. */
export function issuingAccount(db: CaseDb, key: string): string | null {
  return (stmt(db, `SELECT s.value FROM credential_rows c JOIN event_rows e ON e.id = c.issued_event JOIN strings s ON s.id = e.account_id
    WHERE c.access_key_id = (SELECT id FROM strings WHERE value = ?)`).pluck().get(key) as string | undefined) ?? null;
}

/** Adds the key's links; returns whether a cap cut the list short. */
export function addKeyLinks(db: CaseDb, key: string, at: number, limit: number, add: (id: string) => GraphNode, edges: GraphEdge[]): boolean {
  const push = (kind: string, source: string, target: string, eventCount: number, validFrom: number | null = null, validTo: number | null = null) => {
    add(source);
    add(target);
    const id = `key:${kind}:${source}>${target}`;
    const old = edges.find((e) => e.id === id);
    if (old) old.eventCount += eventCount;
    else edges.push({ id, source, target, kind, validFrom: iso(validFrom), validTo: iso(validTo), eventCount });
  };
  const cred = stmt(db, `SELECT issued_arn AS issuedArn, issued_at AS issuedAt, expires_at AS expiresAt, caller_arn AS callerArn, kind
    FROM credentials WHERE access_key_id = ? AND (issued_at IS NULL OR issued_at <= ?)`).get(key, at) as Cred | undefined;
  // Who used the key, by recorded identity (the events view is the left side only).
  const users = stmt(db, `SELECT i.value AS arn, t.value AS type, count(*) AS n FROM event_rows e
    JOIN strings i ON i.id = e.identity_arn LEFT JOIN strings t ON t.id = e.identity_type
    WHERE e.access_key_id = (SELECT id FROM strings WHERE value = ?) AND e.event_time <= ?
    GROUP BY e.identity_arn ORDER BY n DESC, i.value LIMIT ?`).all(key, at, limit + 1) as { arn: string; type: string | null; n: number }[];
  const ips = stmt(db, `SELECT s.value AS ip, count(*) AS n FROM event_rows e JOIN strings s ON s.id = e.source_ip
    WHERE e.access_key_id = (SELECT id FROM strings WHERE value = ?) AND e.event_time <= ?
    GROUP BY e.source_ip ORDER BY n DESC, s.value LIMIT ?`).all(key, at, limit + 1) as { ip: string; n: number }[];

  const longTerm = cred?.kind === 'CreateAccessKey' || users.some((u) => LONG_TERM.has(u.type ?? ''));
  if (cred?.issuedArn) {
    // CreateAccessKey issues a user's key; STS issues a session's.
    if (longTerm) push('user-access-key', cred.issuedArn, key, 0, cred.issuedAt);
    else push('issued-to', key, cred.issuedArn, 0, cred.issuedAt, cred.expiresAt);
  }
  if (cred?.callerArn && cred.callerArn !== cred.issuedArn) push('requested-by', key, cred.callerArn, 1, cred.issuedAt);
  for (const u of users.slice(0, limit)) {
    if (LONG_TERM.has(u.type ?? '')) push('user-access-key', u.arn, key, u.n);
    else push('issued-to', key, u.arn, u.n, cred?.issuedArn === u.arn ? cred.issuedAt : null, cred?.issuedArn === u.arn ? cred.expiresAt : null);
  }
  for (const a of ips.slice(0, limit)) {
    if (isServiceAddress(a.ip)) continue;
    push('source-ip', ipNodeId(a.ip), key, a.n);
  }
  return users.length > limit || ips.length > limit;
}
