// Which of two observations of one resource a case keeps, so that a case does not depend on the order
// its files were read in (two readers interleave them differently every time). An observation is dated:
// an event's time, a snapshot's capture time.
// - Its name is the latest observation's: a resource can be renamed (a Name tag), and the latest name
//   is the one a responder searches for.
// - Its account and region (its place) are the earliest complete observation's, one that gives both:
//   a resource does not move, but an event gives its own account and region for a resource it does not
//   say the place of (an S3 bucket called through the us-east-1 endpoint), and the earliest is the
//   nearest to its creation. An observation that gives one of the two only fills what is missing.
// Of two observed at the same moment, the greater name and the smaller place, as SQLite orders texts.
// A missing value never replaces one; a value of no known time (stored before migration 0141) gives way
// to any dated one. The writer's upsert of a resource says the same in SQL (NAME_REPLACES, PLACE_REPLACES).
import { binaryOrder } from '../text-order.ts';

/** Whether `name`, observed at `at`, replaces `known`, observed at `knownAt` (null: before any dated observation). */
export function replacesName(name: string | null, at: number | null, known: string | null, knownAt: number | null): boolean {
  if (name === null) return false;
  if (known === null) return true;
  const later = at ?? Number.NEGATIVE_INFINITY;
  const earlier = knownAt ?? Number.NEGATIVE_INFINITY;
  if (later !== earlier) return later > earlier;
  return binaryOrder(name, known) > 0;
}

export type Place = { account: string | null; region: string | null; at: number | null };

/** A resource not observed yet. */
export const NO_PLACE: Place = { account: null, region: null, at: null };

/**
 * Whether `place` is the resource's place instead of `known`: it is complete (account and region) and
 * observed earlier, or at the same moment and smaller; `known.at` is null when no complete dated
 * observation gave it.
 */
export function replacesPlace(place: Place, known: Place): boolean {
  if (place.account === null || place.region === null || place.at === null) return false;
  if (known.at === null) return true;
  if (place.at !== known.at) return place.at < known.at;
  const byAccount = binaryOrder(place.account, known.account ?? '');
  return byAccount !== 0 ? byAccount < 0 : binaryOrder(place.region, known.region ?? '') < 0;
}

/** The place after observing `place`: it replaces `known` (replacesPlace), or fills what `known` lacks. */
export function observedPlace(place: Place, known: Place): Place {
  if (replacesPlace(place, known)) return place;
  return { account: known.account ?? place.account, region: known.region ?? place.region, at: known.at };
}

/**
 * replacesName in SQL, inside `INSERT INTO resources … ON CONFLICT(id) DO UPDATE`: whether the row
 * being inserted (`excluded`) names the resource in place of the stored row. A comparison with NULL is
 * NULL, which CASE takes for false.
 */
export const NAME_REPLACES = `(excluded.name IS NOT NULL AND (resources.name IS NULL
  OR excluded.name_at > resources.name_at OR (resources.name_at IS NULL AND excluded.name_at IS NOT NULL)
  OR (excluded.name_at IS resources.name_at AND excluded.name > resources.name)))`;

/** replacesPlace in SQL, likewise; `excluded.place_at` is set only for a complete observation. */
export const PLACE_REPLACES = `(excluded.place_at IS NOT NULL AND excluded.account_id IS NOT NULL AND excluded.region IS NOT NULL
  AND (resources.place_at IS NULL OR excluded.place_at < resources.place_at
    OR (excluded.place_at = resources.place_at AND (excluded.account_id, excluded.region) < (resources.account_id, resources.region))))`;
