// Schema SQL as SQLite reads it, without what does not change its meaning: comments and the amount
// of whitespace. Two definitions are the same object exactly when their normalised texts are equal,
// so a case written by a build whose migrations differ only in comments still opens.
// Follows SQLite's tokenizer: quoted strings and identifiers ('…', "…", `…`, […]) are kept byte for
// byte, `--` runs to the end of the line, `/*` to `*/` (or the end), and only SQLite's own
// whitespace characters count as whitespace (any other byte is part of a token for SQLite too).

const WHITESPACE = new Set([' ', '\t', '\n', '\f', '\r']);

export function normaliseSql(sql: string): string {
  let out = '';
  let pendingSpace = false;
  const emit = (text: string) => {
    if (pendingSpace && out !== '') out += ' ';
    pendingSpace = false;
    out += text;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (WHITESPACE.has(c)) {
      pendingSpace = true;
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      pendingSpace = true;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
      pendingSpace = true;
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const end = quotedEnd(sql, i);
      emit(sql.slice(i, end));
      i = end;
    } else {
      let j = i + 1;
      while (j < sql.length && !startsSomethingElse(sql, j)) j++;
      emit(sql.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** Where a quoted token starting at `start` ends (exclusive); a doubled quote is part of it. */
function quotedEnd(sql: string, start: number): number {
  const close = sql[start] === '[' ? ']' : sql[start];
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === close) {
      if (close !== ']' && sql[i + 1] === close) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function startsSomethingElse(sql: string, i: number): boolean {
  const c = sql[i];
  return (
    WHITESPACE.has(c) || c === "'" || c === '"' || c === '`' || c === '[' || (c === '-' && sql[i + 1] === '-') || (c === '/' && sql[i + 1] === '*')
  );
}
