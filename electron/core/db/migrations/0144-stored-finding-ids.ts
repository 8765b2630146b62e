// A stored finding found by its id (rule@eventID): an actor report takes the words the whole case's
// run worked out for its openings and terminations (the instances behind them, their tags) instead of
// working them out again (analysis/findings/stored-words.ts). Without the index each look-up read every
// stored finding of the part.
export const version = 144;

export const sql = /* sql */ `
CREATE INDEX stored_findings_id ON stored_findings(finding_id);
`;
