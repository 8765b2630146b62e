// For reader tests: one input read to the end (its kind and every batch), and the reason a refused
// input gives.
import assert from 'node:assert/strict';
import type { ReaderBatch } from '../electron/core/ingest/types.ts';
import { enumerateInputs, openSource, SourceError } from '../electron/core/ingest/parse/index.ts';

export async function readInput(path: string): Promise<{ kind: string; batches: ReaderBatch[] }> {
  for await (const input of enumerateInputs([path])) {
    const source = await openSource(input);
    const batches: ReaderBatch[] = [];
    for await (const b of source.batches) batches.push(b);
    return { kind: source.kind, batches };
  }
  throw new Error(`nothing at ${path}`);
}

/** The SourceError message `read` ends with; fails the test when it reads without one. */
export async function refusalOf(read: () => Promise<unknown>, name: string): Promise<string> {
  try {
    await read();
  } catch (err) {
    assert.ok(err instanceof SourceError, String(err));
    return err.message;
  }
  assert.fail(`${name} was not refused`);
}
