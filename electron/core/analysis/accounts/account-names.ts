// Names of the case's accounts, as the data gives them: an organisation trail or a management
// account's records name member accounts (Organizations ListAccounts, DescribeAccount, CreateAccount
// status), IAM aliases name the account they were made in (CreateAccountAlias, ListAccountAliases),
// and an organisation trail's delivery path (AWSLogs/o-…/ACCOUNT/…) says which organisation an account
// belongs to. Names are record data: plain text, cut, and the latest successful call wins.
import type { AccountInfo } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { readRawEvent } from '../../db/raw-events.ts';
import { arr, child, items, member, str, text } from '../../json-values.ts';
import { stmt } from '../prepared.ts';

const NAMING_CALLS = ['ListAccounts', 'ListAccountsForParent', 'DescribeAccount', 'CreateAccount', 'DescribeCreateAccountStatus', 'CreateAccountAlias', 'ListAccountAliases'];
// Naming calls read, newest first: a management account lists its members often, and the newest say it.
const MAX_NAMING_EVENTS = 2000;
const NAME_CHARS = 128;
// Source folders read for the organisation id (the pattern ends at a separator, so it lies in a
// path's folder): one per folder (migration 0140), bounded by the case's sources.
const ORG_PATH = /(?:^|[\\/])AWSLogs[\\/](o-[a-z0-9]{10,32})[\\/](\d{12})[\\/]/;

const isAccount = (v: string | null): v is string => v !== null && /^\d{12}$/.test(v);
const clean = (v: string | null): string | null => {
  const t = v?.replace(/\p{Cc}/gu, ' ').trim();
  return t ? t.slice(0, NAME_CHARS) : null;
};

/**
 * Every account id given with what the data says of it; ids without a name keep nulls. Accounts the
 * naming calls name beside them are added up to `limit` in all (one ListAccounts response may list
 * hundreds of thousands).
 */
export function accountInfo(db: CaseDb, ids: readonly string[], limit = Infinity): AccountInfo[] {
  const out = new Map<string, AccountInfo>(ids.map((id) => [id, { id, name: null, alias: null, organization: null }]));
  const get = (id: string) => {
    let a = out.get(id);
    if (!a) {
      a = { id, name: null, alias: null, organization: null };
      if (out.size < limit) out.set(id, a);
    }
    return a;
  };
  const named = (id: string | null, name: string | null) => {
    const n = clean(name);
    if (isAccount(id) && n && get(id).name === null) get(id).name = n;
  };
  const aliased = (id: string | null, alias: string | null) => {
    const n = clean(alias);
    if (isAccount(id) && n && get(id).alias === null) get(id).alias = n;
  };
  const rows = stmt(db, `SELECT e.id, s.value AS account, n.value AS name FROM event_rows e
    JOIN strings n ON n.id = e.event_name LEFT JOIN strings s ON s.id = e.account_id
    WHERE e.event_name IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(?))) AND e.error_code IS NULL
    ORDER BY e.event_time DESC, e.event_id DESC LIMIT ${MAX_NAMING_EVENTS}`).all(JSON.stringify(NAMING_CALLS)) as { id: number; account: string | null; name: string }[];
  for (const r of rows) {
    const rec = readRawEvent(db, r.id);
    const req = child(rec, 'requestParameters');
    const res = child(rec, 'responseElements');
    switch (r.name) {
      case 'ListAccounts':
      case 'ListAccountsForParent':
        for (const a of items(member(res, 'accounts'))) named(text(a, 'id'), text(a, 'name'));
        break;
      case 'DescribeAccount': {
        const a = child(res, 'account');
        named(text(a, 'id'), text(a, 'name'));
        break;
      }
      case 'CreateAccount':
      case 'DescribeCreateAccountStatus': {
        const s = child(res, 'createAccountStatus');
        named(text(s, 'accountId'), text(s, 'accountName'));
        break;
      }
      case 'CreateAccountAlias':
        aliased(r.account, text(req, 'accountAlias'));
        break;
      case 'ListAccountAliases':
        aliased(r.account, str(arr(member(res, 'accountAliases'))[0]));
        break;
    }
  }
  const folders = stmt(db, 'SELECT value FROM strings WHERE id IN (SELECT DISTINCT folder FROM source_rows) AND value LIKE ?');
  for (const path of folders.pluck().all('%AWSLogs%o-%') as string[]) {
    const m = ORG_PATH.exec(path);
    if (m && out.has(m[2])) get(m[2]).organization ??= m[1];
  }
  const asked = new Set(ids);
  return [...out.values()].filter((a) => asked.has(a.id)).sort((a, b) => a.id.localeCompare(b.id));
}
