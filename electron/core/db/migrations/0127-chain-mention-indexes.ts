// Which credentials' chains hold an access key (the sessions made with a leaked key, for its actor
// report), as index reads rather than a scan of every actor row (issue 10: a million-event case with
// a new key for every call has 485,031 actors; the scan took 0.5 s of the report). A chain's text is
// its shape with the actor's key, its issuing call's eventID and time put back (migration 0125), so it
// holds a key only if its shape does or one of those values lies inside the key or holds a quote
// (analysis/findings/actor-findings.ts). Each of those is now an index:
// - actors_shape: the actors of the shapes holding the key;
// - actors_chain_event, actors_chain_time: the actors whose cut-out value is one of the key's
//   substrings (the key's own substrings are asked of actors_key);
// - actors_quoted_cuts: the few actors whose cut-out values hold a quote (none in a case of real
//   records: eventIDs, times and keys never do).
export const version = 127;

export const sql = /* sql */ `
CREATE INDEX actors_shape ON actor_rows(chain_shape);
CREATE INDEX actors_chain_event ON actor_rows(chain_event);
CREATE INDEX actors_chain_time ON actor_rows(chain_time);
CREATE INDEX actors_quoted_cuts ON actor_rows(id) WHERE instr(actor_key, '"') > 0 OR instr(chain_event, '"') > 0 OR instr(chain_time, '"') > 0;
`;
