// Instances as a finding names them: those tagged as production at the moment first (their tags then,
// history/tags-at.ts), at most five with their names, the rest counted. An opening that guarded them
// and a termination that ended them both say so; either on production is the worst of its kind.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { tagsAt } from '../history/tags-at.ts';
import { productionTag } from '../../ingest/normalize/aws-tags.ts';
import { clipStrings } from '../../../../shared/api/bounds.ts';

/** Instances named in a finding's words; the rest are counted. */
const INSTANCES_NAMED = 5;
/** Characters of an instance's id or name in those words: both come from records and snapshots (data), each cut with the clipped note. */
export const INSTANCE_NAME_CHARS = 100;
/** Production tags quoted, the rest elided. */
const TAGS_QUOTED = 3;
/** Instances whose tags are read for one finding (each a replay of its tagging calls): a fleet's group or a call ending a thousand stays bounded, and says so. */
export const TAGS_CHECKED = 100;

/** "i-… (web-1)": a resource's id and its name when the case knows one, each cut (both come from records and snapshots). */
export function withName(db: CaseDb, resourceId: string): string {
  const name = stmt(db, 'SELECT name FROM resources WHERE id = ?').pluck().get(resourceId) as string | null | undefined;
  const id = clipStrings(resourceId, INSTANCE_NAME_CHARS);
  return name ? `${id} (${clipStrings(name, INSTANCE_NAME_CHARS)})` : id;
}

export type InstancesInWords = {
  /** "i-… (web-1), i-… and 3 more instances". */
  named: string;
  /** ", 2 of them tagged as production (Environment=production)", or '' when none was. */
  production: string;
  productionCount: number;
};

/** `instances` (at least one) in words, as they were at `at`. */
export function instancesInWords(db: CaseDb, instances: string[], at: number): InstancesInWords {
  const tagged = new Map(instances.slice(0, TAGS_CHECKED).map((i) => [i, productionTag(tagsAt(db, i, at))]));
  const production = instances.filter((i) => (tagged.get(i) ?? null) !== null);
  const named = [...production, ...instances.filter((i) => (tagged.get(i) ?? null) === null)].slice(0, INSTANCES_NAMED).map((i) => withName(db, i));
  const more = instances.length - named.length;
  const tags = [...new Set(production.map((i) => tagged.get(i)!))];
  const which = production.length === instances.length ? (instances.length === 1 ? 'tagged' : 'all tagged') : `${production.length} of them tagged`;
  return {
    named: `${named.join(', ')}${more ? ` and ${more} more instance${more === 1 ? '' : 's'}` : ''}`,
    production: production.length === 0 ? '' : `, ${which} as production (${tags.slice(0, TAGS_QUOTED).join(', ')}${tags.length > TAGS_QUOTED ? ', …' : ''})${
      instances.length > TAGS_CHECKED ? `, of the first ${TAGS_CHECKED} whose tags were read` : ''}`,
    productionCount: production.length,
  };
}
