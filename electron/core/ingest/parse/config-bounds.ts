// Bounds on a configuration document, which (unlike a CloudTrail file) is handed to its normalizer
// whole. Without them a 285 KB gzip of `{"SecurityGroups":[0,0,0,…]}` (135 million tiny elements)
// made V8 abort the whole process ("invalid size": an array past its hard limit) and a deeply nested
// one overflowed the stack of every recursive step after the parse. Real documents are far inside:
// the largest authorization-details sample has 13,000 values and 12 levels.

/** Values (objects, arrays, strings, numbers…) in one document: ~300 MB of IAM JSON, ~1 GB of heap. */
export const CONFIG_MAX_VALUES = 5_000_000;
/** Nesting levels, counting the document itself as 1. */
export const CONFIG_MAX_DEPTH = 64;
/** Decoded JSON text of one document. */
export const CONFIG_MAX_BYTES = 256 * 1024 * 1024;

const TOO_MANY = `configuration document has more than ${CONFIG_MAX_VALUES.toLocaleString('en-US')} values`;

/** Counts what a document has used so far, so a streamed one is refused before it is all held. */
export class ConfigBudget {
  private values = 0;
  private bytes = 0;

  /** Adds the size of more of the document's text; the reason it is refused, or null. */
  chargeBytes(textBytes: number): string | null {
    this.bytes += textBytes;
    return this.bytes > CONFIG_MAX_BYTES ? `configuration document larger than ${CONFIG_MAX_BYTES / 1024 / 1024} MB` : null;
  }

  /**
   * Adds `value`, found at nesting level `depth` of the document (its own level is depth + 1).
   * Returns the reason the document is refused, or null while it is in bounds. Iterative, so a deep
   * value cannot overflow the stack here.
   */
  charge(value: unknown, depth: number): string | null {
    if (typeof value !== 'object' || value === null) return ++this.values > CONFIG_MAX_VALUES ? TOO_MANY : null;
    const pending: unknown[] = [value];
    const levels: number[] = [depth + 1];
    while (pending.length > 0) {
      const v = pending.pop();
      const level = levels.pop()!;
      if (++this.values > CONFIG_MAX_VALUES) return TOO_MANY;
      if (typeof v !== 'object' || v === null) continue;
      if (level > CONFIG_MAX_DEPTH) return `configuration document nested deeper than ${CONFIG_MAX_DEPTH} levels`;
      const children = Array.isArray(v) ? v : Object.values(v);
      if (this.values + pending.length + children.length > CONFIG_MAX_VALUES) return TOO_MANY;
      for (const child of children) {
        pending.push(child);
        levels.push(level + 1);
      }
    }
    return null;
  }
}

/** Why a parsed document is out of bounds, or null. */
export function configDocumentProblem(document: unknown): string | null {
  return new ConfigBudget().charge(document, 0);
}
