// Which of two names of one resource a case keeps: the one observed later (an event's time, a
// snapshot's capture time), and of two observed at the same moment the greater text, so that a case
// does not depend on the order its files were read in (two readers interleave them differently every
// time). A missing name never replaces one; a name of no known time (stored before migration 0141)
// gives way to any dated one. The writer's upsert of a resource says the same in SQL (NAME_REPLACES).

/** Whether `name`, observed at `at`, replaces `known`, observed at `knownAt` (null: before any dated observation). */
export function replacesName(name: string | null, at: number | null, known: string | null, knownAt: number | null): boolean {
  if (name === null) return false;
  if (known === null) return true;
  const later = at ?? Number.NEGATIVE_INFINITY;
  const earlier = knownAt ?? Number.NEGATIVE_INFINITY;
  if (later !== earlier) return later > earlier;
  // As SQLite compares texts (its BINARY collation: UTF-8 bytes), which JavaScript's code units do not
  // always agree with (a character past U+FFFF against one from U+E000). Ties are rare: the copy is too.
  return name !== known && Buffer.compare(Buffer.from(name), Buffer.from(known)) > 0;
}

/**
 * replacesName in SQL, inside `INSERT INTO resources … ON CONFLICT(id) DO UPDATE`: whether the row
 * being inserted (`excluded`) names the resource in place of the stored row. A comparison with NULL is
 * NULL, which CASE takes for false.
 */
export const NAME_REPLACES = `(excluded.name IS NOT NULL AND (resources.name IS NULL
  OR excluded.name_at > resources.name_at OR (resources.name_at IS NULL AND excluded.name_at IS NOT NULL)
  OR (excluded.name_at IS resources.name_at AND excluded.name > resources.name)))`;
