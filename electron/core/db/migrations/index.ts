// The ordered list of schema migrations. Append only: a shipped migration never changes, and a new one
// takes a number above every shipped one (a case already past a lower number would never run it; the
// cases in test-support/released-cases/ check that each release's case still opens).
import type Database from 'better-sqlite3';
import * as m0010 from './0010-case-file.ts';
import * as m0020 from './0020-analysis.ts';
import * as m0040 from './0040-workbench.ts';
import * as m0060 from './0060-exported-sources.ts';
import * as m0070 from './0070-annotations.ts';
import * as m0075 from './0075-evidence.ts';
import * as m0085 from './0085-finding-decisions.ts';
import * as m0090 from './0090-saved-views.ts';
import * as m0095 from './0095-detector-findings.ts';
import * as m0098 from './0098-account-indexes.ts';
import * as m0099 from './0099-single-event-facets.ts';
import * as m0100 from './0100-digest-signatures.ts';
import * as m0105 from './0105-federation-issuer-and-store-names.ts';
import * as m0110 from './0110-graph-indexes.ts';
import * as m0115 from './0115-stored-findings.ts';
import * as m0120 from './0120-workbench-open-indexes.ts';
import * as m0125 from './0125-compact-actors.ts';
import * as m0126 from './0126-resource-search-index.ts';
import * as m0127 from './0127-chain-mention-indexes.ts';
import * as m0128 from './0128-compact-links.ts';
import * as m0129 from './0129-flow-blocks.ts';
import * as m0130 from './0130-actor-awaits.ts';
import * as m0131 from './0131-origin-facets.ts';
import * as m0132 from './0132-origin-agent-addresses.ts';
import * as m0133 from './0133-resources-search-deferred.ts';
import * as m0134 from './0134-chain-issue-rows.ts';
import * as m0135 from './0135-actor-identifier-indexes.ts';
import * as m0136 from './0136-source-attempts-index.ts';
import * as m0137 from './0137-credential-key-ids.ts';
import * as m0138 from './0138-owner-service-calls.ts';
import * as m0139 from './0139-facet-value-ids.ts';
import * as m0140 from './0140-source-folders.ts';
import * as m0141 from './0141-resource-observation-times.ts';
import * as m0142 from './0142-resource-link-times.ts';
import * as m0143 from './0143-identity-first-calls.ts';
import * as m0144 from './0144-stored-finding-ids.ts';
import * as m0145 from './0145-stored-findings-flows-part.ts';
import * as m0146 from './0146-event-search-words.ts';
import * as m0147 from './0147-session-cut-from-shapes.ts';
import * as m0148 from './0148-issues-by-session-and-time.ts';
import * as m0149 from './0149-resources-search-texts.ts';
import * as m0150 from './0150-origins-by-label.ts';

/**
 * A migration's SQL, then (for the few that move data SQL cannot transform) a step in code, then SQL
 * that drops what the data moved out of. All three run in one transaction.
 */
export type Migration = { version: number; sql: string; moveData?: (db: Database.Database) => void; dropSql?: string };

export const MIGRATIONS: Migration[] = [m0010, m0020, m0040, m0060, m0070, m0075, m0085, m0090, m0095, m0098, m0099, m0100, m0105, m0110, m0115, m0120, m0125, m0126, m0127, m0128, m0129, m0130, m0131, m0132, m0133, m0134, m0135, m0136, m0137, m0138, m0139, m0140, m0141, m0142, m0143, m0144, m0145, m0146, m0147, m0148, m0149, m0150].sort((a, b) => a.version - b.version);

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** The schema a migration leaves, without its data step: for an empty database (the expected schema, tests' older cases). */
export function schemaSql(m: Migration): string {
  return m.dropSql ? `${m.sql}\n${m.dropSql}` : m.sql;
}
