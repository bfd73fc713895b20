-- 0020: the lookup read model (issue 22): one stored provenance projection per lot key and per
-- product key, so an uncached lookup is one indexed read. Rows are deleted by the change feed's
-- appends that name them; version: the projection code that built the row (others are misses);
-- valid_until (ms, null = no time-dependent change ahead); built_at: the feed's newest sequence
-- read before the build (a row whose key has a newer change is never stored).
CREATE TABLE lookup_views (
    key         TEXT    NOT NULL PRIMARY KEY,
    gtin        TEXT    NOT NULL,
    lot         TEXT,
    version     INTEGER NOT NULL,
    json        TEXT    NOT NULL,
    valid_until INTEGER,
    built_at    INTEGER NOT NULL
);
-- Product-wide deletes (gtin) and the sweep's "lots without a view" (gtin, lot).
CREATE INDEX lookup_views_lot ON lookup_views (gtin, lot);
-- The store's race guard looks for a newer change naming a key.
CREATE INDEX changes_key ON changes (key, seq);
