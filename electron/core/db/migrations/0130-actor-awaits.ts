// What record could still change an actor's resolution (analysis/attribution/awaited-records.ts), so a
// later ingest re-walks only those actors: NULL nothing (every issue its walk read was found by key),
// a key (its walk lacked only that key's issue), '' any record (it read an inference, names, or an
// issue another account's copy may complete). Issue 10: re-walking every one of a million-event case's
// 485,000 actors after each pull that brought new keys cost 10 s of CPU.
// Existing actors await any record: their next re-walk, after a later ingest that completes chains,
// records what each really awaits. The partial index holds only actors that await something.
export const version = 130;

export const sql = /* sql */ `
ALTER TABLE actor_rows ADD COLUMN awaits TEXT;
UPDATE actor_rows SET awaits = '';
CREATE INDEX actors_awaits ON actor_rows(awaits) WHERE awaits IS NOT NULL;
`;
