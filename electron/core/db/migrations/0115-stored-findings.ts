// The case's findings, computed once and kept (analysis/findings/stored-findings.ts): the findings list
// of a million-event case is a read of these rows, not minutes of rules. Three parts, each recomputed
// on its own when what it reads changes (a stamp per part in stored_findings_parts): the built-in rules
// and analyzers (events, actors, configuration), the Sigma rules stored in the case (sigma_rules) and
// the AWS detectors' findings (detector_findings). Suppressions are applied when the list is read, so
// a decision rewrites nothing here. The columns are what the list filters, groups and orders by; the
// finding itself is its JSON (body), parsed only for the page asked for.
export const version = 115;

export const sql = /* sql */ `
CREATE TABLE stored_findings (
  seq INTEGER PRIMARY KEY,          -- order within its part as computed
  part TEXT NOT NULL CHECK (part IN ('builtin', 'sigma', 'detector')),
  finding_id TEXT NOT NULL,         -- rule@eventID (finding-ids.ts)
  rule_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  category TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  first_time INTEGER NOT NULL,      -- ms
  last_time INTEGER NOT NULL,       -- ms
  origin TEXT,                      -- origins id of its actor (incidents group by it), NULL when unattributed
  origin_label TEXT,
  actor_terms TEXT NOT NULL,        -- JSON list the actor filter matches: origin id, ARN, chain ids and keys
  accounts TEXT NOT NULL,           -- JSON list of the accounts of its events (and the account a detector names)
  body TEXT NOT NULL                -- the finding as JSON
) STRICT;
CREATE INDEX stored_findings_part ON stored_findings(part);

-- Computing the findings asks, per instance, for the addresses its SSM agent called from (the actors
-- of its instance-profile credentials): without this, a scan of every actor per instance, most of
-- the computation on a case of a million fresh credentials.
CREATE INDEX actors_instance ON actors(instance_id) WHERE instance_id IS NOT NULL;

CREATE TABLE stored_findings_parts (
  part TEXT PRIMARY KEY CHECK (part IN ('builtin', 'sigma', 'detector')),
  stamp TEXT NOT NULL,              -- what the part was computed from (stored-findings.ts partStamp)
  notes TEXT NOT NULL,              -- JSON list of the run's notes
  extra TEXT NOT NULL,              -- JSON: the Sigma part's loaded and rejected rules
  computed_at INTEGER NOT NULL,
  compute_ms INTEGER NOT NULL
) STRICT;
`;
