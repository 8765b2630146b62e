// A session's issues by time: credentials_issued_arn takes the time after the session's ARN, so
// the issues live when a key no recorded call issued was first used are one range of it (analysis/
// attribution/lookups.ts, BY_SESSION). Keyed by the ARN alone, every such key read every issue of its
// session: a Lambda function's cold starts all share one session ARN, and with half of a churned
// account's issues missing from its files those reads were 2.7 s of a 4.6 s analysis of 100,000 events.
// The same name, so that each use of the ARN alone keeps its plan.
export const version = 148;

export const sql = /* sql */ `
DROP INDEX credentials_issued_arn;
CREATE INDEX credentials_issued_arn ON credential_rows(issued_arn, issued_at);
`;
