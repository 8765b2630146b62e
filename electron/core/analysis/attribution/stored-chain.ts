// An actor's chain and flags as the case file stores them (JSON lists the refresh wrote). The case is
// handed over too: a list that is not one, or whose items are not objects, is not read as one. The
// actor is then shown without its chain and with a broken-chain flag that says why, where JSON.parse
// had failed every answer naming the actor (its events' details, its report, the findings).
import type { ActorFlag, ChainLink } from '../../../../shared/engine-types.ts';

/** The flag an actor whose stored chain or flags cannot be read carries. */
export const UNREADABLE_CHAIN: ActorFlag = {
  kind: 'chain-broken',
  accessKeyId: null,
  detail: 'The chain or flags stored in the case file for this actor are not as Trailscope wrote them: the file was changed outside Trailscope or is damaged.',
};

/** A stored JSON list of objects, or null when the text is not one. */
function objectList(text: unknown): Record<string, unknown>[] | null {
  if (typeof text !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  return Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x)) ? (v as Record<string, unknown>[]) : null;
}

/** The chain and flags of an actor's stored row; what cannot be read is left empty, and UNREADABLE_CHAIN says so. */
export function storedChain(chain: unknown, flags: unknown): { chain: ChainLink[]; flags: ActorFlag[] } {
  const links = objectList(chain) as ChainLink[] | null;
  const marks = objectList(flags) as ActorFlag[] | null;
  return { chain: links ?? [], flags: [...(marks ?? []), ...(links && marks ? [] : [UNREADABLE_CHAIN])] };
}

/** An actor's stored flags alone (an unreadable list gives UNREADABLE_CHAIN). */
export function storedFlags(flags: unknown): ActorFlag[] {
  return (objectList(flags) as ActorFlag[] | null) ?? [UNREADABLE_CHAIN];
}
