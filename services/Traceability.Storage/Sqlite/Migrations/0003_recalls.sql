-- 0003: recalls (one row per recall, one row per recalled lot), verification alerts, issued
-- serialised labels and the keys that sign them.
CREATE TABLE recalls (
    id          TEXT    NOT NULL PRIMARY KEY,
    gtin        TEXT    NOT NULL REFERENCES products (gtin),
    reason      TEXT    NOT NULL,
    severity    TEXT    NOT NULL,
    issued_by   TEXT    NOT NULL,
    producer_id TEXT,
    issued_at   INTEGER NOT NULL,
    lifted_at   INTEGER
);
CREATE INDEX ix_recalls_active ON recalls (issued_at) WHERE lifted_at IS NULL;

CREATE TABLE recall_lots (
    recall_id TEXT NOT NULL REFERENCES recalls (id),
    gtin      TEXT NOT NULL,
    lot       TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (recall_id, gtin, lot)
);
CREATE INDEX ix_recall_lots_lot ON recall_lots (gtin, lot);

CREATE TABLE verification_alerts (
    id         TEXT    NOT NULL PRIMARY KEY,
    kind       TEXT    NOT NULL,
    code       TEXT    NOT NULL,
    province   TEXT    NOT NULL DEFAULT '',
    count      INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    UNIQUE (kind, code, province)
);
CREATE INDEX ix_alerts_last_seen ON verification_alerts (last_seen);

CREATE TABLE serials (
    gtin      TEXT    NOT NULL,
    lot       TEXT    NOT NULL,
    serial    TEXT    NOT NULL,
    key_id    TEXT    NOT NULL,
    issued_at INTEGER NOT NULL,
    PRIMARY KEY (gtin, lot, serial),
    FOREIGN KEY (gtin, lot) REFERENCES lots (gtin, lot)
);

-- The private key is stored encrypted by the service (ASP.NET Data Protection), never in clear.
CREATE TABLE signing_keys (
    key_id                TEXT    NOT NULL PRIMARY KEY,
    algorithm             TEXT    NOT NULL,
    public_key            BLOB    NOT NULL,
    protected_private_key BLOB    NOT NULL,
    created_at            INTEGER NOT NULL,
    retired_at            INTEGER
);
