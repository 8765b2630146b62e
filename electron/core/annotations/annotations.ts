// Stars, tags and comments on events, nodes, findings and flows (table `annotations`, migration 0070):
// the one place their SQL lives. Everything here is written by the investigator but read back from a
// case file, which may come from anyone: values are checked on the way in and bounded on the way out.
import { userInfo } from 'node:os';
import type { CaseDb } from '../db/open-case.ts';
import { stmt, iso } from '../analysis/prepared.ts';
import {
  ANNOTATION_KINDS, ANNOTATION_TARGETS, AUTHOR_CHARS, NOTE_CHARS, TAG_PATTERN, marksOf,
  type Annotation, type AnnotationKind, type AnnotationTarget, type Marks,
} from '../../../shared/api/annotations.ts';

export type NewAnnotation = { target: AnnotationTarget; targetId: string; kind: AnnotationKind; value?: string; author?: string; at?: number };

const MAX_TARGET_ID = 2048;
/** Most annotations one listing returns. */
export const MAX_LISTED = 10_000;

/** The author setting: TRAILSCOPE_AUTHOR, else the OS user. */
export function defaultAuthor(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.TRAILSCOPE_AUTHOR?.trim();
  if (configured) return configured.slice(0, AUTHOR_CHARS);
  try {
    return userInfo().username.slice(0, AUTHOR_CHARS) || 'unknown';
  } catch {
    return 'unknown';
  }
}

export class AnnotationError extends Error {
  override name = 'AnnotationError';
}

/** Whether the case has the annotations table (a case of an older version opened read-only has not). */
export function hasAnnotations(db: CaseDb): boolean {
  return stmt(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'annotations'").pluck().get() === 1;
}

function normalise(a: NewAnnotation): { value: string; author: string } {
  if (!ANNOTATION_TARGETS.includes(a.target)) throw new AnnotationError(`unknown target kind '${String(a.target)}'`);
  if (!ANNOTATION_KINDS.includes(a.kind)) throw new AnnotationError(`unknown annotation kind '${String(a.kind)}'`);
  if (!a.targetId || a.targetId.length > MAX_TARGET_ID) throw new AnnotationError('the target id must be 1 to 2048 characters');
  const author = (a.author ?? defaultAuthor()).trim().slice(0, AUTHOR_CHARS) || 'unknown';
  let value = '';
  if (a.kind === 'tag') {
    value = (a.value ?? '').trim();
    if (!TAG_PATTERN.test(value)) throw new AnnotationError(`not a tag: '${value.slice(0, 80)}' (one word of letters, digits and . _ : / -, at most 64 characters)`);
    // Lists compare tags case-insensitively; ATT&CK ids keep their upper case.
    value = /^t\d{4}(\.\d{3})?$/i.test(value) ? value.toUpperCase() : value.toLowerCase();
  } else if (a.kind === 'note') {
    value = a.value ?? '';
    if (!value.trim()) throw new AnnotationError('a comment needs text');
    if (value.length > NOTE_CHARS) throw new AnnotationError(`a comment holds at most ${NOTE_CHARS} characters (this one has ${value.length})`);
  }
  return { value, author };
}

/** Checks that an event target names an event of the case (by its eventID). */
function assertTargetExists(db: CaseDb, a: NewAnnotation): void {
  if (a.target !== 'event') return;
  if (!stmt(db, 'SELECT 1 FROM events WHERE event_id = ?').pluck().get(a.targetId)) throw new AnnotationError(`no event with eventID '${a.targetId.slice(0, 200)}' in this case`);
}

/** Adds an annotation; setting a star or a tag that is already set returns the existing one. */
export function addAnnotation(db: CaseDb, a: NewAnnotation): Annotation {
  const { value, author } = normalise(a);
  assertTargetExists(db, a);
  const at = a.at ?? Date.now();
  const row = stmt(db, `INSERT INTO annotations (target_kind, target_id, kind, value, author, created_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (target_kind, target_id, kind, value) WHERE kind <> 'note' DO NOTHING RETURNING id`).get(a.target, a.targetId, a.kind, value, author, at) as { id: number } | undefined;
  if (row) return { id: row.id, target: a.target, targetId: a.targetId, kind: a.kind, value, author, at: iso(at)! };
  const existing = stmt(db, 'SELECT * FROM annotations WHERE target_kind = ? AND target_id = ? AND kind = ? AND value = ?').get(a.target, a.targetId, a.kind, value) as DbRow;
  return fromRow(existing);
}

/** Removes a star or a tag (comments stay: they are the record of the investigation). Returns whether one was removed. */
export function removeMark(db: CaseDb, target: AnnotationTarget, targetId: string, kind: 'star' | 'tag', value = ''): boolean {
  const v = kind === 'tag' ? value.trim().toLowerCase() : '';
  return stmt(db, "DELETE FROM annotations WHERE target_kind = ? AND target_id = ? AND kind = ? AND (value = ? OR upper(value) = upper(?)) AND kind <> 'note'").run(target, targetId, kind, v, value.trim()).changes > 0;
}

type DbRow = { id: number; target_kind: string; target_id: string; kind: string; value: string; author: string; created_at: number };

// A row read from a hostile case may hold anything its CHECKs allow: sizes are bounded here.
function fromRow(r: DbRow): Annotation {
  return {
    id: r.id,
    target: r.target_kind as AnnotationTarget,
    targetId: r.target_id.slice(0, MAX_TARGET_ID),
    kind: r.kind as AnnotationKind,
    value: r.value.slice(0, NOTE_CHARS),
    author: r.author.slice(0, AUTHOR_CHARS),
    at: iso(r.created_at) ?? '',
  };
}

export type AnnotationQuery = { target?: AnnotationTarget; targetId?: string; kind?: AnnotationKind; text?: string; limit?: number };

/** Annotations in the order they were written (the investigator's notes in order). */
export function listAnnotations(db: CaseDb, q: AnnotationQuery = {}): Annotation[] {
  if (!hasAnnotations(db)) return [];
  const where: string[] = [];
  const args: (string | number)[] = [];
  const add = (clause: string, ...values: string[]) => {
    where.push(clause);
    args.push(...values);
  };
  if (q.target) add('target_kind = ?', q.target);
  if (q.targetId) add('target_id = ?', q.targetId);
  if (q.kind) add('kind = ?', q.kind);
  // Plain substring search (instr), so nothing in the text is a pattern or an operator.
  if (q.text) add('(instr(lower(value), lower(?)) > 0 OR instr(lower(target_id), lower(?)) > 0 OR instr(lower(author), lower(?)) > 0)', q.text, q.text, q.text);
  const limit = Math.min(Math.max(1, q.limit ?? MAX_LISTED), MAX_LISTED);
  const rows = stmt(db, `SELECT * FROM annotations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT ?`).all(...args, limit) as DbRow[];
  return rows.map(fromRow);
}

/** The marks of each of `ids` (of one target kind), for a page of rows. Targets without any are absent. */
export function marksFor(db: CaseDb, target: AnnotationTarget, ids: readonly string[]): Map<string, Marks> {
  if (!ids.length || !hasAnnotations(db)) return new Map();
  const unique = [...new Set(ids)];
  // json_each takes the page's ids as one bound value: no SQL is built from data.
  const rows = stmt(db, `SELECT * FROM annotations WHERE target_kind = ? AND target_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id`).all(target, JSON.stringify(unique)) as DbRow[];
  return marksOf(rows.map(fromRow));
}
