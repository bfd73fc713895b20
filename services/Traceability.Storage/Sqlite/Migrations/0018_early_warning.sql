-- 0018: early warning (issue 19). Counters per (signal, GTIN, lot, province, Vietnam day), only ever
-- incremented as scans, complaints and inspections arrive, so scoring never rescans the scan log;
-- and the alerts scored from them, with their life cycle (open → acknowledged → closed).
CREATE TABLE ew_counts (
    signal   TEXT    NOT NULL,
    gtin     TEXT    NOT NULL,
    lot      TEXT    NOT NULL,
    province TEXT    NOT NULL,
    day      TEXT    NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (signal, gtin, lot, province, day)
) WITHOUT ROWID;

CREATE TABLE ew_alerts (
    id              TEXT    NOT NULL PRIMARY KEY,
    kind            TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    gtin            TEXT    NOT NULL,
    lot             TEXT    NOT NULL,
    province        TEXT    NOT NULL,
    day             TEXT    NOT NULL,
    producer_id     TEXT,
    score           REAL    NOT NULL,
    count           INTEGER NOT NULL,
    baseline        REAL    NOT NULL,
    reason_vi       TEXT    NOT NULL,
    reason_en       TEXT    NOT NULL,
    first_seen      INTEGER NOT NULL,
    last_seen       INTEGER NOT NULL,
    status          TEXT    NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at INTEGER,
    closed_by       TEXT,
    closed_at       INTEGER,
    outcome         TEXT
);
CREATE INDEX ew_alerts_status_score ON ew_alerts (status, score DESC);
CREATE INDEX ew_alerts_producer_score ON ew_alerts (producer_id, score DESC);
