// Reading an OCSF event's fields by their dotted paths (`actor.user.uid`). Security Lake's exports nest
// them as objects, read by a plain walk; an event whose keys are dotted themselves (a flattened export)
// is read through ecs-fields.ts, which knows every spelling and costs several times as much.
import { fieldAt } from './ecs-fields.ts';

export type OcsfFields = {
  /** The value at a path; undefined when absent. */
  value(path: string): unknown;
  /** A text (or a number or boolean as text) at a path; null when absent or empty. */
  text(path: string): string | null;
};

const SPLIT = new Map<string, string[]>();

export function ocsfFields(o: Record<string, unknown>): OcsfFields {
  let flat = false;
  for (const key in o) {
    if (key.includes('.')) {
      flat = true;
      break;
    }
  }
  const value = flat ? (path: string) => fieldAt(o, path) : (path: string) => nestedAt(o, path);
  return {
    value,
    text(path) {
      const v = value(path);
      return typeof v === 'string' ? (v === '' ? null : v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
    },
  };
}

function nestedAt(o: Record<string, unknown>, path: string): unknown {
  let parts = SPLIT.get(path);
  if (parts === undefined) SPLIT.set(path, (parts = path.split('.')));
  let node: unknown = o;
  for (const part of parts) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
