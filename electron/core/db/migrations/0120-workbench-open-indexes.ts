// What the workbench reads as a million-event case opens (issue 10), as index ranges instead of scans
// of the event table:
// - event_rows_writes_time: the events the timeline shows by default (read-only calls hidden) in time
//   order. The histogram counts each bucket as a range of it and a page reads its rows from it, without
//   looking up read_only in the table for every event of the window (most calls are read-only).
// - event_rows_region: the regions the case holds (case:info), a few index seeks (one per region)
//   rather than a scan of every event.
export const version = 120;

export const sql = /* sql */ `
CREATE INDEX event_rows_writes_time ON event_rows(event_time) WHERE read_only IS NULL OR read_only = 0;
CREATE INDEX event_rows_region ON event_rows(aws_region);
`;
