// A resource's tags at a moment: those of the configuration snapshot latest before it, changed by the
// calls that set tags after that snapshot and up to the moment (the launch's tags, CreateTags,
// DeleteTags). An instance launched inside the evidence is read from its launch on, snapshot or not; one
// with no snapshot before the moment takes the first one after (a snapshot stands for the time before
// it, as an interface's groups do: flows/interface-groups.ts). Tags are what says "production".
import type { CaseDb } from '../../db/open-case.ts';
import { readRawEvent } from '../../db/raw-events.ts';
import { child, items, member, path, text } from '../../json-values.ts';
import { tagsIn } from '../../ingest/normalize/aws-tags.ts';
import { stmt } from '../prepared.ts';
import { changingCalls } from './changing-calls.ts';
import { configWithinBound, storedConfig } from './stored-config.ts';

/** The calls that set or remove a resource's tags. */
const TAG_CALLS = ['RunInstances', 'CreateTags', 'DeleteTags'];
/** Tag calls replayed at most, the latest before the moment: a resource retagged every minute for months stays one read. */
const TAG_CALLS_READ = 50;

/** The tag specification's resourceType of the resources a launch tags, by their id's prefix. */
const LAUNCH_TAGGED: [prefix: string, resourceType: string][] = [['i-', 'instance'], ['eni-', 'network-interface'], ['vol-', 'volume']];

export function tagsAt(db: CaseDb, resourceId: string, at: number): Map<string, string> {
  const calls = changingCalls(db, resourceId, TAG_CALLS, at, TAG_CALLS_READ).reverse();
  const raws = calls.map((c) => ({ ...c, raw: readRawEvent(db, c.id) }));
  const launched = raws.some((c) => c.raw?.eventName === 'RunInstances');
  const snapshot = launched ? undefined : (stmt(db, `SELECT observed_at AS t, config FROM resource_versions WHERE resource_id = ? AND origin = 'snapshot' AND ${configWithinBound('config')}
    ORDER BY observed_at <= ? DESC, CASE WHEN observed_at <= ? THEN -observed_at ELSE observed_at END LIMIT 1`).get(resourceId, at, at) as { t: number; config: string } | undefined);
  const tags = new Map<string, string>();
  if (snapshot !== undefined) for (const [key, value] of tagsIn(member(storedConfig(snapshot.config), 'Tags'))) tags.set(key, value ?? '');
  for (const c of raws) {
    if (c.raw === null || (snapshot !== undefined && c.t <= snapshot.t)) continue;
    applyCall(tags, c.raw, resourceId);
  }
  return tags;
}

/** What one call did to the resource's tags. */
function applyCall(tags: Map<string, string>, raw: Record<string, unknown>, resourceId: string): void {
  const rp = child(raw, 'requestParameters');
  if (raw.eventName === 'RunInstances') {
    // The answer lists each instance with its tags; the request's specifications tag each kind launched.
    const own = items(path(raw, 'responseElements', 'instancesSet')).find((i) => text(i, 'instanceId') === resourceId);
    const resourceType = LAUNCH_TAGGED.find(([prefix]) => resourceId.startsWith(prefix))?.[1];
    const spec = items(rp?.tagSpecificationSet).find((s) => text(s, 'resourceType') === resourceType);
    const given = own !== undefined && member(own, 'tagSet') !== undefined ? member(own, 'tagSet') : member(spec, 'tags');
    tags.clear();
    for (const [key, value] of tagsIn(given)) tags.set(key, value ?? '');
  } else if (raw.eventName === 'CreateTags') {
    for (const [key, value] of tagsIn(rp?.tagSet)) tags.set(key, value ?? '');
  } else {
    // DeleteTags: a key alone removes it, a key with a value only that value; no tags at all removes every tag.
    const removed = tagsIn(rp?.tagSet);
    if (member(rp, 'tagSet') === undefined) tags.clear();
    for (const [key, value] of removed) if (value === null || tags.get(key) === value) tags.delete(key);
  }
}
