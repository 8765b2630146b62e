// How many inputs an ingest went through, whatever became of them: apart from the pipeline, so that the
// import job (which only reads a summary) does not load it.
import type { IngestSummary } from './pipeline.ts';

export function inputCount(summary: Pick<IngestSummary, 'inputs'>): number {
  return Object.values(summary.inputs).reduce((a, b) => a + b, 0);
}
