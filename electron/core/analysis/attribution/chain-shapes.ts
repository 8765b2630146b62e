// A chain stored once per shape (migration 0125): the keys of one session or role resolve to chains
// that differ only in the key itself, its issuing call's eventID and that call's time. Those three are
// cut out of the chain's JSON (replaced by char(1), char(2), char(3)), the rest is stored once in
// chain_shapes, and the actor keeps the eventID and time; the `actors` view puts the chain back
// together with replace(). JSON.stringify escapes every control character, so the markers never
// clash with the chain's own text, and replacing a value where it occurs is undone exactly by putting
// it back in the reverse order, whatever the value holds.
import type { CaseDb } from '../../db/open-case.ts';
import type { ChainLink } from '../../../../shared/engine-types.ts';
import { stmt } from '../prepared.ts';

export type ChainShape = { shape: string; event: string | null; time: string | null };

/** The chain's shape and the values cut out of it; `key` is the actor's access key as stored. */
export function chainShapeOf(chain: ChainLink[], key: string | null): ChainShape {
  const json = JSON.stringify(chain);
  const keyed = key ? json.replaceAll(key, '\u0001') : json;
  const issuedBy = chain[0]?.issuedBy;
  // A value is kept only where it was cut (a replacement that found nothing leaves the text as it was).
  const evented = issuedBy?.eventId ? keyed.replaceAll(issuedBy.eventId, '\u0002') : keyed;
  const timed = issuedBy?.eventTime ? evented.replaceAll(issuedBy.eventTime, '\u0003') : evented;
  return {
    shape: timed,
    event: evented !== keyed ? issuedBy!.eventId : null,
    time: timed !== evented ? issuedBy!.eventTime : null,
  };
}

/** The id of each shape, stored when new; cached for the refresh (shapes are few next to actors). */
export function chainShapeStore(db: CaseDb) {
  const find = stmt(db, 'SELECT id FROM chain_shapes WHERE shape = ?').pluck();
  const insert = stmt(db, 'INSERT INTO chain_shapes (shape) VALUES (?)');
  const cache = new Map<string, number>();
  return {
    idFor(shape: string): number {
      let id = cache.get(shape) ?? (find.get(shape) as number | undefined);
      id ??= Number(insert.run(shape).lastInsertRowid);
      cache.set(shape, id);
      return id;
    },
  };
}
