// The graph of a million-event account (issue 13) reads credentials and resources grouped, never one
// by one: who assumed which role (the overview's AssumeRole edges, a path's folded role hop, in both
// directions) and how many resources of each kind. Without these, each answer read all 485,000
// issued keys of a one-key-per-call account from the table. Each index covers its query (issued_at
// and first_seen are there for the time filter), so the answers are index-only scans of a range.
// resources_type is a prefix of resources_kind and goes.
export const version = 110;

export const sql = /* sql */ `
CREATE INDEX credentials_role_caller ON credentials(role_arn, caller_arn, issued_at);
CREATE INDEX credentials_caller_role ON credentials(caller_arn, role_arn, issued_at);
CREATE INDEX credentials_caller_key_role ON credentials(caller_key, role_arn, issued_at);
DROP INDEX resources_type;
CREATE INDEX resources_kind ON resources(type, account_id, region, first_seen);
`;
