-- 0002: the anonymous scan log of the public lookup. No IP address and no user-agent string are
-- kept: only the time, the code, a client-chosen province and a coarse client class.
CREATE TABLE scans (
    seq      INTEGER NOT NULL PRIMARY KEY,
    time     INTEGER NOT NULL,
    lot_key  TEXT    NOT NULL,
    serial   TEXT,
    province TEXT,
    ua_class TEXT    NOT NULL
);

CREATE INDEX ix_scans_lot ON scans (lot_key, time);
CREATE INDEX ix_scans_serial ON scans (lot_key, serial, time) WHERE serial IS NOT NULL;
