// A resource's name is the one its latest observation gave (ingest/resource-names.ts). The writer kept
// the name of whichever batch it wrote last, so a case depended on the order its files were read: last
// year's snapshot handed in after today's named a renamed VPC by its old Name tag, and two readers
// interleave the files of one ingest differently each time. `name_at` is the time of the observation
// that gave the name: an event's time, a snapshot's capture time. A name stored before this migration
// has none and gives way to any dated one, as it gave way to the next batch before.
export const version = 141;

export const sql = /* sql */ `
ALTER TABLE resources ADD COLUMN name_at INTEGER;
`;
