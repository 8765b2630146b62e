// The label an origin is shown by. In an organisation's case each account has its own user/ci-deployer
// and its own instance roles: the label alone made the attacker's user and four others read as one
// person, in the timeline, the findings and the History panel alike. An origin whose label another
// account's origin shares is shown with its account, "user/ci-deployer (account 111122223333)"; any
// other keeps its label. One seek of origins_label (migration 0150) per label shown.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';

/** The shown label of the origin row aliased `o`, as SQL (the alias is the caller's, never data). */
export function originLabelSql(o: string): string {
  return `CASE WHEN ${o}.account_id IS NOT NULL AND EXISTS (SELECT 1 FROM origins shared_label INDEXED BY origins_label
      WHERE shared_label.label = ${o}.label AND shared_label.account_id IS NOT ${o}.account_id)
    THEN ${o}.label || ' (account ' || ${o}.account_id || ')' ELSE ${o}.label END`;
}

/** Each origin's shown label by its id, each asked once. */
export function shownOriginLabels(db: CaseDb): (origin: number) => string {
  const ask = stmt(db, `SELECT ${originLabelSql('o')} FROM origins o WHERE o.id = ?`).pluck();
  const known = new Map<number, string>();
  return (origin) => {
    let label = known.get(origin);
    if (label === undefined) known.set(origin, (label = (ask.get(origin) as string | undefined) ?? ''));
    return label;
  };
}
