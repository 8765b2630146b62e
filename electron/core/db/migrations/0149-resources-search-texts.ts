// The resources' search index (migration 0126) holds each text once. A resource's ARN is most often its
// id too, and an S3 object's name is its key, which its id (the object's ARN) holds: the trigram index
// held an object's ARN three times, about 600 bytes a resource, 236 MB of a million events whose trail
// logged 440,000 objects (issue 10; the bench's `data-events` workload). It now indexes the name only
// where the id does not hold it, and the ARN only where it is not the id: every term found in a text
// left out is found in the id, so the same rows match (analysis/search/resource-matches.ts checks each
// candidate against the row's three texts, as before).
// FTS5 checks an external-content index against its content, so the content is now a view giving those
// texts (`resources_search_texts`); the triggers of migration 0133 give the index the same texts, and a
// bulk load's rebuild and the writer's deferred rows read them from the view.
import { resourcesSearchIndex } from './0126-resource-search-index.ts';
import { INDEXED } from './0133-resources-search-deferred.ts';

export const version = 149;

/** The name a resource row gives the index: none where its id holds it. */
const searchedName = (row: string) => `CASE WHEN instr(${row}.id, ${row}.name) > 0 THEN NULL ELSE ${row}.name END`;
/** The ARN a resource row gives the index: none where it is its id. */
const searchedArn = (row: string) => `CASE WHEN ${row}.arn = ${row}.id THEN NULL ELSE ${row}.arn END`;
const texts = (row: 'new' | 'old') => `${row}.rowid, ${row}.id, ${searchedName(row)}, ${searchedArn(row)}`;


export const sql = /* sql */ `
DROP TRIGGER resources_search_insert;
DROP TRIGGER resources_search_update;
DROP TRIGGER resources_search_delete;
DROP TABLE resources_search;
CREATE VIEW resources_search_texts AS
SELECT r.rowid AS rowid, r.id AS id, ${searchedName('r')} AS name, ${searchedArn('r')} AS arn FROM resources r;
${resourcesSearchIndex('resources_search_texts')};
INSERT INTO resources_search (resources_search) VALUES ('rebuild');
CREATE TRIGGER resources_search_insert AFTER INSERT ON resources
  WHEN ${INDEXED('new')} BEGIN
  INSERT INTO resources_search (rowid, id, name, arn) VALUES (${texts('new')});
END;
CREATE TRIGGER resources_search_update AFTER UPDATE OF id, name, arn ON resources
  WHEN (old.id IS NOT new.id OR old.name IS NOT new.name OR old.arn IS NOT new.arn) AND ${INDEXED('old')} BEGIN
  INSERT INTO resources_search (resources_search, rowid, id, name, arn) VALUES ('delete', ${texts('old')});
  INSERT INTO resources_search (rowid, id, name, arn) VALUES (${texts('new')});
END;
CREATE TRIGGER resources_search_delete AFTER DELETE ON resources
  WHEN ${INDEXED('old')} BEGIN
  INSERT INTO resources_search (resources_search, rowid, id, name, arn) VALUES ('delete', ${texts('old')});
END;
`;
