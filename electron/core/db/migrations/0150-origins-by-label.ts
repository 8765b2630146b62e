// Origins by label: a label several accounts' origins share (each account of an organisation has its
// user/ci-deployer) is shown with the origin's account, and whether another account's origin has the
// label is one seek of this index per label shown (analysis/attribution/origin-label.ts).
export const version = 150;

export const sql = /* sql */ `
CREATE INDEX origins_label ON origins(label, account_id);
`;
