// The stored findings get a fourth part, `flows`: what reads flow records (the connections from outside
// an opening let in: analysis/findings/opening-connections.ts). In the builtin part those words made a
// flow log import recompute every built-in rule and analyzer (about a second at a million events); as a
// part of their own a flow import recomputes them alone. The parts' CHECK names them, so both tables
// are made again with the wider one; their rows are kept (the next ask recomputes what is stale).
export const version = 145;

export const sql = /* sql */ `
CREATE TABLE stored_findings_next (
  seq INTEGER PRIMARY KEY,          -- order within its part as computed
  part TEXT NOT NULL CHECK (part IN ('builtin', 'sigma', 'detector', 'flows')),
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
INSERT INTO stored_findings_next SELECT seq, part, finding_id, rule_id, kind, category, severity, first_time, last_time, origin, origin_label, actor_terms, accounts, body
  FROM stored_findings;
DROP TABLE stored_findings;
ALTER TABLE stored_findings_next RENAME TO stored_findings;
CREATE INDEX stored_findings_part ON stored_findings(part);
CREATE INDEX stored_findings_id ON stored_findings(finding_id);

CREATE TABLE stored_findings_parts_next (
  part TEXT PRIMARY KEY CHECK (part IN ('builtin', 'sigma', 'detector', 'flows')),
  stamp TEXT NOT NULL,              -- what the part was computed from (stored-findings.ts partStamp)
  notes TEXT NOT NULL,              -- JSON list of the run's notes
  extra TEXT NOT NULL,              -- JSON: the Sigma part's loaded and rejected rules
  computed_at INTEGER NOT NULL,
  compute_ms INTEGER NOT NULL
) STRICT;
INSERT INTO stored_findings_parts_next SELECT part, stamp, notes, extra, computed_at, compute_ms FROM stored_findings_parts;
DROP TABLE stored_findings_parts;
ALTER TABLE stored_findings_parts_next RENAME TO stored_findings_parts;
`;
