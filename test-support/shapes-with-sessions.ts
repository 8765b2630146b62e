// Chain shapes as versions before 0147 stored them, made from a case of today for the tests of older
// versions: the session name put back where it was cut (char(4)), one shape row for each shape and name.
import type Database from 'better-sqlite3';

export function shapesWithSessions(db: Database.Database): void {
  db.exec(`CREATE TEMP TABLE named_shapes AS
      SELECT a.id, replace(c.shape, char(4), s.value) AS shape FROM actor_rows a JOIN chain_shapes c ON c.id = a.chain_shape
        JOIN strings s ON s.id = a.session_name WHERE instr(c.shape, char(4)) > 0;
    INSERT OR IGNORE INTO chain_shapes (shape) SELECT DISTINCT shape FROM temp.named_shapes;
    UPDATE actor_rows SET chain_shape = (SELECT c.id FROM temp.named_shapes n JOIN chain_shapes c ON c.shape = n.shape WHERE n.id = actor_rows.id)
      WHERE id IN (SELECT id FROM temp.named_shapes);
    DELETE FROM chain_shapes WHERE instr(shape, char(4)) > 0;
    DROP TABLE temp.named_shapes;`);
}
