// The same evidence gives the same answers, in the same order, whatever order its files were read in.
// Row ids, and the order of rows a table gives without ORDER BY, follow that order (two readers
// interleave the files differently every time), so a rank by count breaks its ties by id, and a graph's
// nodes and edges leave in id order: a layout starts from the order it is given.
import { byCodeUnit } from '../text-order.ts';

/** The items sorted by id, in place. */
export function inIdOrder<T extends { id: string }>(items: T[]): T[] {
  return items.sort((a, b) => byCodeUnit(a.id, b.id));
}
