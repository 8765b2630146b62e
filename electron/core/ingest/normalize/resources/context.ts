// What a resource extractor sees and how it reports touched resources. One context per event; the
// list is small, so merging duplicates is a linear scan.
import type { ResourceType, Touch } from '../../../../../shared/resource-ids.ts';
import type { TouchedResource } from '../../types.ts';
import type { Obj } from '../../../json-values.ts';

export type ResourceContext = {
  eventName: string;
  eventSource: string;
  rp: Obj | null; // requestParameters
  re: Obj | null; // responseElements
  details: Obj | null; // serviceEventDetails: what AWS's own events (eventType AwsServiceEvent) name
  account: string | null; // recipientAccountId (else the identity's account)
  region: string | null;
  partition: string;
  readOnly: boolean;
  /** The caller's IAM user name when the caller is an IAM user: IAM calls without userName act on the caller. */
  callerUserName: string | null;
  out: TouchedResource[];
};

/** Beyond this many resources an event is a sweep (describe with many ids): the rest are dropped. */
export const MAX_RESOURCES_PER_EVENT = 100;

// When one event names a resource twice (request and response), the strongest touch wins.
const STRENGTH: Record<Touch, number> = { created: 7, deleted: 6, modified: 5, attached: 4, detached: 3, used: 2, read: 1 };

export function touch(ctx: ResourceContext, id: string | null, type: ResourceType, how: Touch, extra?: Partial<TouchedResource>): void {
  if (id === null || isPlaceholder(id)) return;
  const out = ctx.out;
  for (let i = 0; i < out.length; i++) {
    const r = out[i];
    if (r.id === id) {
      if (STRENGTH[how] > STRENGTH[r.touch]) r.touch = how;
      // A name (or ARN) another part of the event gives fills what the first mention left out.
      for (const k of ['name', 'arn', 'accountId', 'region'] as const) if (r[k] == null && extra?.[k] != null) r[k] = extra[k];
      return;
    }
  }
  if (out.length >= MAX_RESOURCES_PER_EVENT) return;
  const r: TouchedResource = { id, type, touch: how };
  if (extra !== undefined) Object.assign(r, extra);
  out.push(r);
}

/** Redacted samples write "..." for names: "...", "arn:aws:s3:::...", "bucket/..." name nothing. */
function isPlaceholder(id: string): boolean {
  if (!id.endsWith('...')) return false;
  if (id.length === 3) return true;
  const c = id.charCodeAt(id.length - 4);
  return c === 58 || c === 47; // ':' or '/'
}

export type Extractor = (ctx: ResourceContext) => void;
