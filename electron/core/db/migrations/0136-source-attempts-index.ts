// An earlier attempt at a file (the same content at the same path, interrupted or rejected) found by
// one index lookup. sources_sha256 (sha256, status) left the path to a scan of every row of that
// content and status: files that share their content share the range, and unreadable, empty or
// corrupt files are common in an evidence folder (every input nothing could be read from is stored
// under one placeholder content hash). With 8,000 of them each new one read all 8,000 rows (1.2 ms), so
// a folder of 100,000 such files took minutes in these lookups alone. Partial: only rows read now or
// rejected are in it, few next to the files read whole.
export const version = 136;

export const sql = /* sql */ `
CREATE INDEX sources_attempts ON sources(sha256, path) WHERE status IN ('reading', 'rejected');
`;
