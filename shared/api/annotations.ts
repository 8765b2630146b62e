// The investigator's annotations as the contract carries them (shared by the core, the CLI and the
// renderer, so the tag rules and the suggested tags are the same everywhere).

export const ANNOTATION_TARGETS = ['event', 'node', 'finding', 'flow'] as const;
export type AnnotationTarget = (typeof ANNOTATION_TARGETS)[number];
export const ANNOTATION_KINDS = ['star', 'tag', 'note'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/** The tags the workbench offers; any tag matching TAG_PATTERN is accepted too (ATT&CK ids such as T1078.004). */
export const SUGGESTED_TAGS = ['suspicious', 'attacker', 'benign', 'evidence'] as const;
/** A tag is one word: letters, digits and . _ : / - (so it is safe as a CSV cell, a Timesketch tag and a query term). */
export const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._:/-]{0,63}$/u;
export const ATTACK_ID_PATTERN = /^T\d{4}(\.\d{3})?$/;
/** Characters of one comment. */
export const NOTE_CHARS = 10_000;
/** Characters of an author name. */
export const AUTHOR_CHARS = 128;

export type Annotation = {
  id: number;
  target: AnnotationTarget;
  /** eventID for an event, node id for a node, finding id, flow key. */
  targetId: string;
  kind: AnnotationKind;
  /** The tag, or the comment's text; '' for a star. */
  value: string;
  author: string;
  /** ISO 8601 UTC. */
  at: string;
};

/** What is set on one target, as exports and the timeline show it. */
export type Marks = { starred: boolean; tags: string[]; notes: { author: string; at: string; text: string }[] };

/** Annotations (in the order given) rolled up per target: the one way the core and the panels read them. */
export function marksOf(annotations: readonly Annotation[]): Map<string, Marks> {
  const out = new Map<string, Marks>();
  for (const a of annotations) {
    let m = out.get(a.targetId);
    if (!m) out.set(a.targetId, (m = { starred: false, tags: [], notes: [] }));
    if (a.kind === 'star') m.starred = true;
    else if (a.kind === 'tag') m.tags.push(a.value);
    else m.notes.push({ author: a.author, at: a.at, text: a.value });
  }
  return out;
}
