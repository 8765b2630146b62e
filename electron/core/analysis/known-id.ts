// Whether a case knows an id at all: as a resource, a principal, something an event touched, a
// relation's end, an access key used or issued, an interface or address of the flow records. A query
// about an unknown id ("who changed nonexistent") is a typo to report, not an empty answer.
import { iamArnWithoutPath } from '../../../shared/resource-ids.ts';
import type { CaseDb } from '../db/open-case.ts';
import { stmt } from './prepared.ts';

// Index lookups first; the names and ARNs of resources and principals have no index (a scan of half a
// million rows on a churned account), so they are asked only when nothing else knows the id.
const CHECKS = [
  'SELECT 1 FROM resources WHERE id = @id LIMIT 1',
  'SELECT 1 FROM event_resources WHERE resource_id = @id LIMIT 1',
  'SELECT 1 FROM principals WHERE arn = @id LIMIT 1',
  'SELECT 1 FROM edges WHERE src = @id LIMIT 1',
  'SELECT 1 FROM edges WHERE dst = @id LIMIT 1',
  'SELECT 1 FROM credentials WHERE access_key_id = @id LIMIT 1',
  'SELECT 1 FROM origins WHERE ident = @id LIMIT 1',
  'SELECT 1 FROM flow_interface_buckets WHERE interface_id = @id LIMIT 1',
];
const SCANS = ['SELECT 1 FROM resources WHERE arn = @id OR name = @id LIMIT 1', 'SELECT 1 FROM principals WHERE name = @id LIMIT 1'];

export function caseKnowsId(db: CaseDb, input: string): boolean {
  const q = input.trim();
  if (!q) return false;
  for (const id of new Set([q, iamArnWithoutPath(q)])) {
    for (const sql of CHECKS) if (stmt(db, sql).get({ id })) return true;
  }
  // Keys, session names and addresses live in the interned strings: known when an event carries them.
  const address = q.startsWith('ip/') ? q.slice(3) : q;
  const sid = stmt(db, 'SELECT id FROM strings WHERE value = ?').pluck().get(address) as number | undefined;
  if (sid !== undefined) {
    for (const column of ['access_key_id', 'source_ip', 'identity_arn']) {
      if (stmt(db, `SELECT 1 FROM event_rows WHERE ${column} = ? LIMIT 1`).get(sid)) return true;
    }
  }
  if (stmt(db, 'SELECT 1 FROM flow_addresses WHERE address = ? LIMIT 1').get(address)) return true;
  for (const id of new Set([q, iamArnWithoutPath(q)])) {
    for (const sql of SCANS) if (stmt(db, sql).get({ id })) return true;
  }
  return false;
}
