// The investigator's decisions about findings, kept in the case so they survive a reopen and apply to
// the app, the CLI and the report alike: suppressions (a rule everywhere, a rule for one origin, or one
// finding marked as expected), each with its reason, author and time; and the Sigma rules loaded
// into the case, stored as their YAML text (never as a path: a case names no file to read, and a case
// copied elsewhere runs the same rules). A file that could not be loaded is kept with its reason.
export const version = 85;

export const sql = /* sql */ `
CREATE TABLE finding_suppressions (
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL CHECK (scope IN ('rule', 'rule-actor', 'finding')),
  rule_id TEXT NOT NULL,
  target TEXT NOT NULL,             -- '' for a rule; the origin id for rule-actor; the finding id for finding
  reason TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL       -- ms since the epoch
) STRICT;
CREATE UNIQUE INDEX finding_suppressions_one ON finding_suppressions (scope, rule_id, target);
CREATE TABLE sigma_rules (
  id INTEGER PRIMARY KEY,
  folder TEXT NOT NULL,             -- the folder it was loaded from, as given (shown, never read again)
  file TEXT NOT NULL,               -- its path inside that folder
  yaml TEXT,                        -- the rule's text; NULL when it could not be loaded
  rejected TEXT,                    -- why it could not be loaded
  loaded_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX sigma_rules_file ON sigma_rules (folder, file);
`;
