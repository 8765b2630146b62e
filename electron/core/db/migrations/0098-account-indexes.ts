// An organisation trail puts many accounts in one case, and every view can be narrowed to some of
// them: the account filter reads these ranges instead of scanning all events or all flow records.
export const version = 98;

export const sql = /* sql */ `
CREATE INDEX event_rows_account_time ON event_rows(account_id, event_time);
CREATE INDEX flows_account_time ON flows(account_id, start_time);
`;
