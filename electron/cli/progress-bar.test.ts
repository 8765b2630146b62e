// The CLI's progress line: before the inputs are counted it shows the files read so far without a
// total (not "1200/0 files") and says it is counting; after, files read of the total.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeProgressBar } from './progress-bar.ts';
import type { IngestProgress } from '../core/ingest/progress.ts';

const at = (p: Partial<IngestProgress>): IngestProgress => ({
  phase: 'reading', filesTotal: 0, filesDone: 0, bytesTotal: 0, bytesDone: 0, events: 0, flows: 0, resources: 0, rejected: 0, currentPath: null,
  elapsedMs: 1000, rate: 0, etaMs: null, ...p,
});

function lineOf(p: IngestProgress): string {
  let written = '';
  makeProgressBar({ write: (s: string) => ((written += s), true), columns: 120 } as unknown as NodeJS.WritableStream).update(p);
  return written;
}

test('while the inputs are being counted the line has no file total and says it is counting', () => {
  const line = lineOf(at({ phase: 'scanning', filesDone: 1200, events: 12000 }));
  assert.match(line, / 1200 files  12000 events/);
  assert.doesNotMatch(line, /1200\/0/);
  assert.match(line, /counting files…/);
});

test('once counted, the line shows the files read of the total', () => {
  const line = lineOf(at({ phase: 'reading', filesDone: 1200, filesTotal: 5000, bytesDone: 1, bytesTotal: 4 }));
  assert.match(line, / 25% 1200\/5000 files/);
  assert.doesNotMatch(line, /counting/);
});
