// An actor's chain and flags as the case file stores them (JSON lists the refresh wrote). The case is
// handed over too: a list that is not one, or whose items are not objects, is not read as one. The
// actor is then shown without its chain and with a broken-chain flag that says why, where JSON.parse
// had failed every answer naming the actor (its events' details, its report, the findings).
import type { ActorFlag, ChainLink } from '../../../../shared/engine-types.ts';

/** The flag an actor whose stored chain cannot be read carries instead of it. */
export const UNREADABLE_CHAIN: ActorFlag = {
  kind: 'chain-broken',
  accessKeyId: null,
  detail: 'The chain stored in the case file for this actor is not as Trailscope wrote it: the file was changed outside Trailscope or is damaged.',
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

/** The chain and flags of an actor's stored row; an unreadable one gives no chain and UNREADABLE_CHAIN. */
export function storedChain(chain: unknown, flags: unknown): { chain: ChainLink[]; flags: ActorFlag[] } {
  const links = objectList(chain);
  const marks = objectList(flags);
  if (!links || !marks) return { chain: [], flags: [...((marks ?? []) as ActorFlag[]), UNREADABLE_CHAIN] };
  return { chain: links as ChainLink[], flags: marks as ActorFlag[] };
}

/** An actor's stored flags alone (an unreadable list flags the chain as unreadable). */
export function storedFlags(flags: unknown): ActorFlag[] {
  return (objectList(flags) as ActorFlag[] | null) ?? [UNREADABLE_CHAIN];
}
