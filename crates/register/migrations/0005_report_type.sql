-- Schema version 5: each report of an event carries the event's type. A new report is matched
-- against its victims' earlier events of the same type only; with the type beside the victims,
-- the events of other types are never read. A report joins only an event of its own type, so
-- the two always agree.
ALTER TABLE event_sources ADD COLUMN type TEXT NOT NULL DEFAULT '';
UPDATE event_sources
   SET type = COALESCE((SELECT e.type FROM events e WHERE e.id = event_sources.event_id), '');
