-- 0001: the foundation schema. Times are unix milliseconds (UTC); lists are JSON text.
-- Numbers 0002 (scans) and 0003 (recalls, reports, inspections) are reserved for those features.

CREATE TABLE producers (
    id               TEXT    NOT NULL PRIMARY KEY,
    name             TEXT    NOT NULL,
    tax_code         TEXT    NOT NULL UNIQUE,
    address          TEXT    NOT NULL,
    province         TEXT    NOT NULL,
    gln              TEXT,
    company_prefixes TEXT    NOT NULL,
    phone            TEXT,
    email            TEXT,
    suspended        INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL
);

CREATE TABLE inspectors (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    agency     TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

-- Only the salted hash of a key's secret is kept.
CREATE TABLE api_keys (
    key_id       TEXT    NOT NULL PRIMARY KEY,
    salt         BLOB    NOT NULL,
    hash         BLOB    NOT NULL,
    role         TEXT    NOT NULL,
    producer_id  TEXT    REFERENCES producers (id),
    inspector_id TEXT    REFERENCES inspectors (id),
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);

CREATE TABLE products (
    gtin           TEXT    NOT NULL PRIMARY KEY,
    producer_id    TEXT    NOT NULL REFERENCES producers (id),
    name_vi        TEXT    NOT NULL,
    name_en        TEXT,
    brand          TEXT,
    image_url      TEXT,
    category       TEXT,
    description_vi TEXT,
    description_en TEXT,
    standards      TEXT    NOT NULL,
    unit           TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX ix_products_producer ON products (producer_id);

CREATE TABLE locations (
    producer_id TEXT    NOT NULL REFERENCES producers (id),
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    address     TEXT,
    province    TEXT,
    latitude    REAL,
    longitude   REAL,
    gln         TEXT,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (producer_id, code)
);
CREATE INDEX ix_locations_gln ON locations (gln) WHERE gln IS NOT NULL;

-- Dates as ISO yyyy-MM-dd; quantity as invariant decimal text (exact).
CREATE TABLE lots (
    gtin            TEXT    NOT NULL REFERENCES products (gtin),
    lot             TEXT    NOT NULL,
    producer_id     TEXT    NOT NULL REFERENCES producers (id),
    production_date TEXT,
    expiry_date     TEXT,
    quantity        TEXT,
    uom             TEXT,
    origin_location TEXT,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (gtin, lot)
);
CREATE INDEX ix_lots_producer ON lots (producer_id, created_at);

-- seq orders the events for paging; AUTOINCREMENT so a seq is never handed out twice.
-- keys repeats event_keys as JSON ([[role, value], …]) so reading an event needs no join.
CREATE TABLE events (
    seq          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    event_id     TEXT    NOT NULL UNIQUE,
    producer_id  TEXT    NOT NULL REFERENCES producers (id),
    event_type   TEXT    NOT NULL,
    event_time   INTEGER NOT NULL,
    record_time  INTEGER NOT NULL,
    action       TEXT,
    biz_step     TEXT,
    disposition  TEXT,
    read_point   TEXT,
    biz_location TEXT,
    json         TEXT    NOT NULL,
    keys         TEXT    NOT NULL,
    capture_id   TEXT
);
-- One index per query parameter of the public contract (each also ends in seq, SQLite's rowid,
-- so an equality match comes out in paging order). Every index slows capture, so record_time,
-- read_point and event_type have none: those filters run as a scan in seq order.
CREATE INDEX ix_events_producer ON events (producer_id);
CREATE INDEX ix_events_event_time ON events (event_time);
CREATE INDEX ix_events_biz_step ON events (biz_step) WHERE biz_step IS NOT NULL;
CREATE INDEX ix_events_disposition ON events (disposition) WHERE disposition IS NOT NULL;
CREATE INDEX ix_events_biz_location ON events (biz_location) WHERE biz_location IS NOT NULL;

-- The lookup index for MATCH_epc / MATCH_epcClass / lot queries: the table is its own index
-- (value, role, event_seq). No foreign key to events: only the capture path writes it.
CREATE TABLE event_keys (
    value     TEXT    NOT NULL,
    role      TEXT    NOT NULL,
    event_seq INTEGER NOT NULL,
    PRIMARY KEY (value, role, event_seq)
) WITHOUT ROWID;

CREATE TABLE capture_jobs (
    capture_id      TEXT    NOT NULL PRIMARY KEY,
    producer_id     TEXT    NOT NULL REFERENCES producers (id),
    running         INTEGER NOT NULL,
    success         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    errors          TEXT    NOT NULL,
    event_count     INTEGER NOT NULL,
    duplicate_count INTEGER NOT NULL
);

-- seq is the row's public Id (as a string). (kind, key) is the natural key.
CREATE TABLE outbox (
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
    depends_on_key  TEXT,
    UNIQUE (kind, key)
);
-- Leasing walks one state in seq order (oldest first) and stops after max rows.
CREATE INDEX ix_outbox_state ON outbox (state, seq);
