// What evidence verification needs from ingest (trailscope verify): per CloudTrail log or digest
// file, the SHA-256 of its decompressed content (what a digest's hashValue is computed over, as
// `aws cloudtrail validate-logs` checks it), and a digest file's own JSON.
export const version = 75;

export const sql = /* sql */ `
CREATE TABLE source_evidence (
  source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
  content_sha256 TEXT NOT NULL,     -- SHA-256 (hex) of the decompressed content
  digest TEXT                       -- a digest file's JSON; NULL for a log file
) STRICT;
`;
