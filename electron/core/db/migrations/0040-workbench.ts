// Workbench state kept in the case so a case opens as it was left: cached graph layouts (the
// layout of 2,000 nodes is the slow part of drawing them, so it is computed once per view).
export const version = 40;

export const sql = /* sql */ `
CREATE TABLE workbench_layouts (
  key TEXT PRIMARY KEY,            -- which view: e.g. graph:<filter hash>
  positions TEXT NOT NULL,         -- JSON {nodeId: {x, y}}
  updated_at INTEGER NOT NULL
) STRICT;
`;
