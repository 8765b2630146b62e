// Every reader walks the same inputs in the same order and reads those at its positions
// (read-worker.ts): no list of the inputs is held or handed out. So a folder that changes while the
// readers walk it (files copied in, renamed or deleted during the ingest) can shift one reader's
// positions against another's: a file is then read twice (its events stored once) or by no reader.
// Each reader sends a print of its whole walk, its inputs' paths in order, when it finishes; prints
// that differ tell the user to ingest again (what the case holds is skipped), instead of a file
// missed in silence.

import { cyrb53 } from '../db/flow-content-hash.ts';

/** How many inputs a walk went through, and a hash of their paths in order. */
export type WalkPrint = { inputs: number; hash: number };

export class WalkPrinter {
  private inputs = 0;
  private hash = 0;

  /** Each path hashed whole, seeded with the hash so far: the order and the bounds of the paths count. */
  add(path: string): void {
    this.hash = cyrb53(path, this.hash);
    this.inputs++;
  }

  get print(): WalkPrint {
    return { inputs: this.inputs, hash: this.hash };
  }
}

/**
 * When the walks differ, how many inputs they went through, each count once and in order (one count:
 * as many inputs, not the same ones); empty when they all agree.
 */
export function differingWalks(prints: readonly WalkPrint[]): number[] {
  const distinct = new Map<string, number>();
  for (const p of prints) distinct.set(`${p.inputs}:${p.hash}`, p.inputs);
  return distinct.size > 1 ? [...new Set(distinct.values())].sort((a, b) => a - b) : [];
}

/** What an ingest says when its readers' walks differed, given `differingWalks`. */
export function changedInputsNote(inputs: readonly number[]): string {
  const counts = inputs.map((n) => n.toLocaleString('en-US'));
  const walked = counts.length > 1 ? `found ${counts.join(' and ')} inputs on different walks` : 'found the same number of inputs under other names';
  return `The inputs changed while they were read (${walked}): a file added, renamed or removed meanwhile may have been missed. Ingest the same paths again to read what was missed; what the case holds already is skipped.`;
}
