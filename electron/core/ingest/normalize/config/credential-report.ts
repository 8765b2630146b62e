// get-credential-report: which users have a console password and access keys. The report has no key
// ids, so a key is named "<user id>#access-key-<n>" and only its presence and dates are recorded.
import { iamArnWithoutPath } from '../../../../../shared/resource-ids.ts';
import { obj, str } from '../../../json-values.ts';
import type { SnapshotBuilder } from './snapshot-builder.ts';

const NA = new Set(['N/A', 'not_supported', 'no_information', '']);

function reportText(document: unknown): string | null {
  const content = typeof document === 'string' ? document : str(obj(document)?.Content);
  if (content === null) return null;
  if (content.includes(',')) return content;
  // The raw API (and `aws iam get-credential-report` without --output text decoding) returns base64.
  const decoded = Buffer.from(content, 'base64').toString('utf8');
  return decoded.includes(',') ? decoded : null;
}

/** The report's rows keyed by its header: from the CSV text, or already split (the file readers do that). */
function reportRows(document: unknown): Record<string, string>[] {
  if (Array.isArray(document)) {
    return document.map((o) => Object.fromEntries(Object.entries(obj(o) ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : ''])));
  }
  const text = reportText(document);
  if (text === null) return [];
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length < 2) return [];
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const row: Record<string, string> = {};
    header.forEach((h, i) => (row[h] = cells[i] ?? ''));
    return row;
  });
}

export function credentialReport(b: SnapshotBuilder, document: unknown): void {
  for (const row of reportRows(document)) {
    const arn = row.arn;
    if (!arn || !arn.startsWith('arn:')) continue;
    const isRoot = row.user === '<root_account>' || arn.endsWith(':root');
    const accountId = arn.split(':')[4] || null;
    const id = isRoot ? arn : iamArnWithoutPath(arn);
    const name = isRoot ? 'root' : row.user || null;
    b.resource(id, 'user', { arn, accountId, name });
    b.principal(arn, isRoot ? 'Root' : 'IAMUser', accountId, name);
    if (row.password_enabled === 'true') {
      const lp = b.resource(`${id}#login-profile`, 'login-profile', { accountId });
      b.version(lp, {
        passwordEnabled: true,
        passwordLastUsed: orNull(row.password_last_used),
        passwordLastChanged: orNull(row.password_last_changed),
        passwordNextRotation: orNull(row.password_next_rotation),
        mfaActive: row.mfa_active === 'true',
      });
      b.edge(id, lp, 'user-login-profile');
    }
    for (const n of [1, 2]) {
      const active = row[`access_key_${n}_active`];
      const rotated = row[`access_key_${n}_last_rotated`];
      if (active !== 'true' && (rotated === undefined || NA.has(rotated))) continue;
      const key = b.resource(`${id}#access-key-${n}`, 'access-key', { accountId });
      b.version(key, {
        active: active === 'true',
        lastRotated: orNull(rotated),
        lastUsedDate: orNull(row[`access_key_${n}_last_used_date`]),
        lastUsedRegion: orNull(row[`access_key_${n}_last_used_region`]),
        lastUsedService: orNull(row[`access_key_${n}_last_used_service`]),
      });
      b.edge(id, key, 'user-access-key');
    }
  }
}

function orNull(v: string | undefined): string | null {
  return v === undefined || NA.has(v) ? null : v;
}
