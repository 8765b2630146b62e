// The ordered list of schema migrations. Append only: a shipped migration never changes.
import * as m0010 from './0010-case-file.ts';
import * as m0020 from './0020-analysis.ts';
import * as m0040 from './0040-workbench.ts';
import * as m0060 from './0060-exported-sources.ts';
import * as m0070 from './0070-annotations.ts';
import * as m0075 from './0075-evidence.ts';
import * as m0080 from './0080-single-event-facets.ts';
import * as m0085 from './0085-finding-decisions.ts';
import * as m0090 from './0090-saved-views.ts';
import * as m0095 from './0095-detector-findings.ts';
import * as m0098 from './0098-account-indexes.ts';
import * as m0115 from './0115-stored-findings.ts';

export type Migration = { version: number; sql: string };

export const MIGRATIONS: Migration[] = [m0010, m0020, m0040, m0060, m0070, m0075, m0080, m0085, m0090, m0095, m0098, m0115].sort((a, b) => a.version - b.version);

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
