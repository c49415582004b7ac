-- Schema version 141 (issue 14, item 1; numbered so that it cannot collide with the small numbers
-- other branches take): details that hold for one victim of an event. Co-defendants sentenced
-- together to 17, 15 and 13 years are one event whose terms belong each to its person, and sources
-- disagree only when they give one person different values.
--
-- `event_sources.victim_details_json`: what the article says of each victim beyond the report's
-- `details_json`, keyed by the article's person index (as `victims_json`); NULL when nothing.
-- `events.victim_details_json`: the reconciled details of each victim beyond the event's own, keyed
-- by register person id; NULL when nothing. Older rows keep NULL: their details hold for every victim.
ALTER TABLE event_sources ADD COLUMN victim_details_json TEXT;
ALTER TABLE events ADD COLUMN victim_details_json TEXT;
