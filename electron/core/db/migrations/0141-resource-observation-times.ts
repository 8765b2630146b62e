// A resource's name is the one its latest observation gave, and its account and region those of its
// earliest (ingest/resource-observations.ts). The writer kept the name of whichever batch it wrote last
// and the first account and region it wrote, so a case depended on the order its files were read in:
// last year's snapshot handed in after today's named a renamed VPC by its old Name tag, a bucket called
// from two regions took the region of whichever file came first, and two readers interleave the files
// of one ingest differently each time. Each column keeps the time of the observation that gave the
// value: an event's time, a snapshot's capture time. A value stored before this migration has none; a
// dated one replaces it, as the next batch's name replaced it before.
export const version = 141;

export const sql = /* sql */ `
ALTER TABLE resources ADD COLUMN name_at INTEGER;
ALTER TABLE resources ADD COLUMN place_at INTEGER;
`;
