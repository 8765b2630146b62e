// The words a search asks the events' index for, cut as the index cuts an event's text. The index keeps
// no positions (migration 0146), so FTS5 refuses a quoted string that its tokenizer cuts in two (a
// phrase); "s3:GetObject,s3:PutObject" asks for both words instead. Which characters join a word is
// SQLite's table of Unicode, not JavaScript's (marks, symbols and private-use characters differ by the
// thousand), so the words are cut by the tokenizer itself: a scratch FTS5 table in the connection's
// temporary database and its vocabulary. That works on a case opened read-only and takes about 0.1 ms.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';

/** As migration 0146 made the events' index. */
const TOKENIZE = `unicode61 remove_diacritics 2 tokenchars '-_.:/@'`;

const scratchMade = new WeakSet<CaseDb>();

/** The distinct words of `text`, folded as the index holds them, in their order. */
export function searchWords(db: CaseDb, text: string): string[] {
  if (!scratchMade.has(db)) {
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_words USING fts5(text, tokenize = "${TOKENIZE}");
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_words_vocab USING fts5vocab(temp, search_words, 'instance')`);
    scratchMade.add(db);
  }
  stmt(db, 'INSERT INTO temp.search_words (rowid, text) VALUES (1, ?)').run(text);
  try {
    return [...new Set(stmt(db, 'SELECT term FROM temp.search_words_vocab ORDER BY offset').pluck().all() as string[])];
  } finally {
    stmt(db, 'DELETE FROM temp.search_words').run();
  }
}
