import { safe } from '../export/terminal-safe.ts';

/** A case written by a newer Trailscope than this one: refuse it rather than guess at its schema. */
export class CaseVersionError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
    readonly path?: string,
  ) {
    super(
      `${path ? `The case file ${safe(path)}` : 'This case file'} was written by a newer Trailscope (schema version ${found}; this build knows up to ${known}). ` +
        'Open it with a newer Trailscope; the file was not changed.',
    );
    this.name = 'CaseVersionError';
  }
}
