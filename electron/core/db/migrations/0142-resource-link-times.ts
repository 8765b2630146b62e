// A resource's links to its events kept in the events' time order. The primary key was (resource,
// event), the order of row ids, which is the order an ingest wrote its files in: two readers
// interleave them differently each time, and a later ingest of older evidence comes after newer. The
// readers that cut a busy resource's events at a bound read them in that order, so the cut depended on
// how the case had been ingested: the graph's "who acted on it" over its latest 5,000 touches, a path
// search's earliest touches of its target. Each link now carries its event's time (a copy of
// event_rows.event_time, which an event never changes), and the key is (resource, event_time, event):
// one range of it gives a resource's touches latest or earliest first, and counts them up to a time
// without reading a single event row. (resource, event) stays unique, since an event has one time.
// Events are never deleted, so every link has its event; one that has none (only a crafted case holds
// one, and no reader joins it to anything) is kept at time 0.
export const version = 142;

export const sql = /* sql */ `
CREATE TABLE event_resource_rows_by_time (
  resource INTEGER NOT NULL,       -- strings.id of the resource's id (shared/resource-ids.ts)
  event_time INTEGER NOT NULL,     -- the event's time (event_rows.event_time), so one resource's touches are in time order
  event INTEGER NOT NULL,          -- events.id
  resource_type INTEGER NOT NULL,  -- strings.id of its type
  touch INTEGER NOT NULL,          -- strings.id of: created | modified | deleted | read | used | attached | detached
  PRIMARY KEY (resource, event_time, event)
) STRICT, WITHOUT ROWID;

INSERT INTO event_resource_rows_by_time (resource, event_time, event, resource_type, touch)
  SELECT r.resource, coalesce(e.event_time, 0), r.event, r.resource_type, r.touch FROM event_resource_rows r LEFT JOIN event_rows e ON e.id = r.event
  ORDER BY 1, 2, 3;

DROP VIEW event_resources;
DROP TABLE event_resource_rows;
ALTER TABLE event_resource_rows_by_time RENAME TO event_resource_rows;
CREATE INDEX event_resources_event ON event_resource_rows(event);

CREATE VIEW event_resources AS
SELECT s_resource.value AS resource_id, r.event AS event, r.event_time AS event_time,
  (SELECT value FROM strings WHERE id = r.resource_type) AS resource_type,
  (SELECT value FROM strings WHERE id = r.touch) AS touch
FROM event_resource_rows r
LEFT JOIN strings s_resource ON s_resource.id = r.resource;
`;
