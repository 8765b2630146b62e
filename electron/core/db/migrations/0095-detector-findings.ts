// Findings of AWS's own detectors (GuardDuty, Security Hub ASFF, Security Lake OCSF) imported as
// evidence, and what each names (principals, keys, instances, addresses, API calls) so they meet the
// case's events. Read back by analysis/findings/detector-findings.ts beside the built-in findings.
export const version = 95;

export const sql = /* sql */ `
CREATE TABLE detector_findings (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  detector TEXT NOT NULL CHECK (detector IN ('GuardDuty', 'Security Hub', 'Security Lake')),
  finding_uid TEXT NOT NULL,       -- the detector's own id (GuardDuty id, ASFF Id, OCSF finding_info.uid)
  product TEXT,                    -- the product that raised it, when another carried it (ASFF ProductName, OCSF metadata.product.name)
  type TEXT,                       -- GuardDuty type, ASFF Types[0], OCSF finding_info.types[0]
  title TEXT NOT NULL,
  description TEXT,
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  detector_severity TEXT,          -- the detector's own rating as given ("8", "HIGH", "High (4)")
  first_time INTEGER NOT NULL,     -- activity first seen (ms), else created
  last_time INTEGER NOT NULL,      -- activity last seen (ms), else updated
  updated_at INTEGER NOT NULL,     -- the finding's own update time: a later copy replaces an earlier one
  account_id TEXT,
  region TEXT,
  raw TEXT NOT NULL                -- the finding's JSON as read (bounded, see normalize/detectors/)
) STRICT;
CREATE UNIQUE INDEX detector_findings_uid ON detector_findings(detector, finding_uid);
CREATE INDEX detector_findings_time ON detector_findings(first_time);

CREATE TABLE detector_finding_links (
  finding INTEGER NOT NULL REFERENCES detector_findings(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,              -- principal | principal-id | user-name | access-key | instance | address | api | resource
  value TEXT NOT NULL,
  PRIMARY KEY (finding, kind, value)
) STRICT, WITHOUT ROWID;
CREATE INDEX detector_finding_links_value ON detector_finding_links(kind, value);
`;
