// Saved views: a named workbench state (selection, time T, timeline filter and query, open tab) kept
// in the case, so an investigator can come back to it and a colleague can open it from the CLI
// (`trailscope views`, `trailscope serve --open VIEW`). The state is the URL fragment's text
// (shared/api/view-state.ts), stored in its canonical form.
export const version = 90;

export const sql = /* sql */ `
CREATE TABLE saved_views (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 128),
  state TEXT NOT NULL CHECK (length(state) <= 8192),
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL       -- ms since the epoch; saving a view again under its name replaces it
) STRICT;
`;
