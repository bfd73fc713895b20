-- 0007: one behaviour on every provider (docs/DESIGN.md, "EPCIS query order and times").
-- Times keep the offset they were captured with: event_time and record_time stay UTC milliseconds
-- (for filters and order), and the offset in minutes sits beside each. Rows written before this
-- migration get their event time's offset back from the stored JSON, whose eventTime always ends in
-- ±HH:MM (EpcisEventWriter.FormatTime); their record time was the server's UTC clock (+00:00).
ALTER TABLE events ADD COLUMN event_time_offset INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN record_time_offset INTEGER NOT NULL DEFAULT 0;
UPDATE events SET event_time_offset =
    CASE substr(json ->> 'eventTime', -6, 1)
        WHEN '+' THEN  (CAST(substr(json ->> 'eventTime', -5, 2) AS INTEGER) * 60 + CAST(substr(json ->> 'eventTime', -2, 2) AS INTEGER))
        WHEN '-' THEN -(CAST(substr(json ->> 'eventTime', -5, 2) AS INTEGER) * 60 + CAST(substr(json ->> 'eventTime', -2, 2) AS INTEGER))
        ELSE 0
    END;
-- GET /epcis/events is ordered by record time, then eventID (unique: paging across equal record
-- times never skips or repeats an event). The producer index gains the same order, since a
-- producer's queries are scoped to its own events.
CREATE INDEX ix_events_record_order ON events (record_time, event_id);
DROP INDEX ix_events_producer;
CREATE INDEX ix_events_producer ON events (producer_id, record_time, event_id);
