-- 0004: consumer reports (contact encrypted by the service before it gets here) and market
-- inspections with optional photo evidence (kept apart so listings never read the blobs).
CREATE TABLE reports (
    id                TEXT    NOT NULL PRIMARY KEY,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    code              TEXT,
    lot_key           TEXT,
    category          TEXT    NOT NULL,
    message           TEXT    NOT NULL,
    protected_contact TEXT,
    status            TEXT    NOT NULL
);

CREATE INDEX ix_reports_status ON reports (status, created_at);

CREATE TABLE inspections (
    id            TEXT    NOT NULL PRIMARY KEY,
    inspector_id  TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    inspected_at  INTEGER NOT NULL,
    code          TEXT    NOT NULL,
    lot_key       TEXT,
    result        TEXT    NOT NULL,
    notes         TEXT,
    latitude      REAL,
    longitude     REAL,
    client_ref    TEXT,
    photo_type    TEXT
);

CREATE UNIQUE INDEX ux_inspections_client_ref ON inspections (inspector_id, client_ref) WHERE client_ref IS NOT NULL;
CREATE INDEX ix_inspections_created ON inspections (created_at);
CREATE INDEX ix_inspections_lot ON inspections (lot_key, created_at) WHERE lot_key IS NOT NULL;

CREATE TABLE inspection_photos (
    inspection_id TEXT NOT NULL PRIMARY KEY REFERENCES inspections (id),
    content_type  TEXT NOT NULL,
    data          BLOB NOT NULL
);
