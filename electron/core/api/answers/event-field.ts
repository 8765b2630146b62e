// `event:field`: the full value of one field of an event, in bounded chunks. Lists and the details view
// show a long value's start and size (shared/api/bounds.ts); this is the "show all" behind them.
// A row field is cut by SQLite (substr on its bytes), so a 15 MB user agent never crosses into this
// process whole; a field of the raw record (a JSON path) is read from the stored record.
import type { CaseDb } from '../../db/open-case.ts';
import type { ParsedInput } from '../../../../shared/api/index.ts';
import type { FieldChunk } from '../../../../shared/api/types.ts';
import { FIELD_CHUNK_BYTES } from '../../../../shared/api/bounds.ts';
import { readRawEventText } from '../../db/raw-events.ts';
import { ROW_FIELD_COLUMNS } from '../../analysis/timeline/timeline-query.ts';
import { ApiFailure } from '../dispatch.ts';
import { stmt } from '../../analysis/prepared.ts';
import { utf8Window } from './utf8-window.ts';
import { originLabelSql } from '../../analysis/attribution/origin-label.ts';

type Query = ParsedInput<'event:field'>;

/** The value of a JSON path in a parsed record: own properties and array items only. */
function valueAt(record: unknown, path: readonly (string | number)[]): unknown {
  let v = record;
  for (const step of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, step)) return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

export function createFieldReader(db: CaseDb) {
  // A "show all" reads one value chunk by chunk: the value last read from a raw record is kept (one
  // entry, at most one record's size) so each chunk does not inflate and parse the record again.
  let last: { key: string; bytes: Buffer } | null = null;

  function rawValue(id: number, path: readonly (string | number)[]): Buffer {
    const key = JSON.stringify([id, path]);
    if (last?.key === key) return last.bytes;
    const text = readRawEventText(db, id);
    if (text === null) throw new ApiFailure('not-found', `no raw record for event ${id}`);
    let value: string;
    if (path.length === 0) value = text;
    else {
      const v = valueAt(JSON.parse(text), path);
      if (v === undefined) throw new ApiFailure('not-found', `event ${id} has no field ${path.map(String).join('.').slice(0, 200)}`);
      value = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
    }
    last = { key, bytes: Buffer.from(value, 'utf8') };
    return last.bytes;
  }

  function rowValue(id: number, field: string, offset: number, length: number): { chunk: Uint8Array; total: number } | undefined {
    // Columns come from a fixed table keyed by the schema's enum: never from the input itself.
    const sql = field === 'origin'
      ? `SELECT substr(CAST(l.label AS BLOB), ?, ?) AS chunk, length(CAST(l.label AS BLOB)) AS total FROM (SELECT ${originLabelSql('o')} AS label FROM event_actors ea JOIN origins o ON o.id = ea.origin WHERE ea.event = ?) l`
      : `SELECT substr(CAST(${ROW_FIELD_COLUMNS[field]} AS BLOB), ?, ?) AS chunk, length(CAST(${ROW_FIELD_COLUMNS[field]} AS BLOB)) AS total FROM events WHERE id = ?`;
    const r = stmt(db, sql).get(offset + 1, length, id) as { chunk: Uint8Array | null; total: number | null } | undefined;
    if (!r || r.total === null) return undefined;
    return { chunk: r.chunk ?? new Uint8Array(0), total: r.total };
  }

  return function readField(q: Query): FieldChunk {
    const length = Math.min(q.length ?? FIELD_CHUNK_BYTES, FIELD_CHUNK_BYTES);
    const offset = q.offset ?? 0;
    if (q.field !== undefined) {
      if (q.field !== 'origin' && !ROW_FIELD_COLUMNS[q.field]) throw new ApiFailure('invalid-input', `unknown field ${q.field}`);
      const got = rowValue(q.id, q.field, offset, length);
      if (!got) throw new ApiFailure('not-found', `event ${q.id} has no ${q.field}`);
      return utf8Window(got.chunk, offset, got.total);
    }
    const bytes = rawValue(q.id, q.path ?? []);
    return utf8Window(bytes.subarray(offset, offset + length), Math.min(offset, bytes.length), bytes.length);
  };
}
