// The ordered list of schema migrations. Append only: a shipped migration never changes.
import * as m0010 from './0010-case-file.ts';

export type Migration = { version: number; sql: string };

export const MIGRATIONS: Migration[] = [m0010].sort((a, b) => a.version - b.version);

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
