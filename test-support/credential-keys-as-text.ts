// A case of today with its credentials as versions before 137 kept them: the key as the row's text
// primary key (migration 0128), not an id into strings (0137).
import type Database from 'better-sqlite3';
import { expectedSchema, schemaKey } from '../electron/core/db/expected-schema.ts';

const COLUMNS = ['kind', 'issued_event', 'issued_at', 'expires_at', 'issued_arn', 'role_arn', 'session_name', 'source_identity', 'caller_arn',
  'caller_type', 'caller_key', 'caller_ip', 'subject', 'issuer'];

export function credentialKeysAsText(db: Database.Database): void {
  const then = expectedSchema(136).objects;
  const sqlThen = (type: string, name: string) => then.get(schemaKey(type, name))!.sql!;
  db.exec(`DROP VIEW credentials; ALTER TABLE credential_rows RENAME TO credential_key_rows;
    ${sqlThen('table', 'credential_rows')};
    INSERT INTO credential_rows (rowid, access_key_id, ${COLUMNS.join(', ')})
      SELECT c.rowid, s.value, ${COLUMNS.map((c) => `c.${c}`).join(', ')} FROM credential_key_rows c JOIN strings s ON s.id = c.access_key_id;
    DROP TABLE credential_key_rows;
    ${['credentials_issued_arn', 'credentials_role_caller', 'credentials_caller_role', 'credentials_caller_key_role'].map((i) => sqlThen('index', i)).join(';\n')};
    ${sqlThen('view', 'credentials')};`);
}
