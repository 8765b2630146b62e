// The actor report's identifiers read through indexes: an actor named by its principal id (AROA…:session,
// as GuardDuty and Security Hub findings name one), by an Identity Center user (actor_rows.on_behalf_of)
// or by the sourceIdentity set on its chain. A query that named no key, origin, ARN or session scanned
// every actor row for them: 485,031 rows on a million events with a new key for every call, 0.3 s read
// into the page cache at each question that names nobody (a typo, a detector finding naming a principal
// the case has never seen). The last two are set on few credentials: partial indexes, nearly empty.
export const version = 135;

export const sql = /* sql */ `
CREATE INDEX actors_principal ON actor_rows(principal_id);
CREATE INDEX actors_on_behalf_of ON actor_rows(on_behalf_of) WHERE on_behalf_of IS NOT NULL;
CREATE INDEX actors_source_identity ON actor_rows(source_identity) WHERE source_identity IS NOT NULL;
`;
