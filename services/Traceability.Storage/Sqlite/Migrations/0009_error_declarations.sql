-- 0009: EPCIS error declarations (issue 20, EPCIS 2.0 §7.4.1.5). A declaration repeats a stored event
-- with errorDeclaration; it is kept here, beside the event, whose row and JSON stay as first captured.
-- Reads return the declared state (the declaring event with the original's record time).
CREATE TABLE error_declarations (
    event_id            TEXT    NOT NULL PRIMARY KEY REFERENCES events (event_id),
    producer_id         TEXT    NOT NULL,
    declaration_time    INTEGER NOT NULL,
    reason              TEXT,
    corrective_ids      TEXT    NOT NULL,
    error_declaration   TEXT    NOT NULL,
    json                TEXT    NOT NULL,
    record_time         INTEGER NOT NULL,
    record_time_offset  INTEGER NOT NULL DEFAULT 0,
    capture_id          TEXT
);
CREATE INDEX ix_error_declarations_reason ON error_declarations (reason);
