// Records read from exports (SIEMs, data lakes, log group exports) and records without an eventID.
// sources.read_as says how an exported source was read ("Logstash export: time from @timestamp"),
// so an analyst can judge what was mapped. event_rows.event_id_derived marks an event whose record
// had no eventID (or a placeholder one): its event_id is a hash of the record's content.
export const version = 60;

export const sql = /* sql */ `
ALTER TABLE sources ADD COLUMN read_as TEXT;                -- notes joined by '; ', NULL for plain CloudTrail files
ALTER TABLE event_rows ADD COLUMN event_id_derived INTEGER; -- 1 when event_id was derived from the content, else NULL
`;
