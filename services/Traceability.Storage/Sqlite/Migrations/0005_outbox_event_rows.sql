-- 0005: event rows leave the outbox's (kind, key) unique index. An event's key is its eventID, a
-- random UUID, so every capture of 1,000 events dirtied ~1,000 random index pages that the commit
-- had to write to the WAL (half of the capture time). Events need no such index: capture writes an
-- event's outbox row only when the event row itself is new (events.event_id is unique), and an
-- event's row is never looked up by key on a hot path. Products, lots and recalls keep the unique
-- (kind, key) natural key; queries using it say `kind <> 'Event'` so SQLite can pick the partial index.
CREATE TABLE outbox_new (
    seq             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL,
    key             TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    lease_owner     TEXT,
    last_error      TEXT,
    portal_id       TEXT,
    trace_parent    TEXT,
    depends_on_kind TEXT,
    depends_on_key  TEXT
);
INSERT INTO outbox_new SELECT seq, kind, key, state, attempts, created_at, updated_at, next_attempt_at, lease_until,
    lease_owner, last_error, portal_id, trace_parent, depends_on_kind, depends_on_key FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE UNIQUE INDEX ux_outbox_kind_key ON outbox (kind, key) WHERE kind <> 'Event';
CREATE INDEX ix_outbox_state ON outbox (state, seq);
