// The ingest readers: enumerate the inputs a user gives, detect each one's format from its content,
// and stream its records in batches. No database work happens here.
export { countInputs, enumerateInputs, ownInputs, walkInputs, type EnumerateOptions } from './enumerate-inputs.ts';
export { openSource } from './open-source.ts';
export { SourceError } from './source-error.ts';
export { DEFAULT_MAX_BYTES, type InputFile, type OpenedSource, type ReadLimits } from './types.ts';
