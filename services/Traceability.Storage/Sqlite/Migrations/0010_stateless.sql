-- 0010: stateless hosts (issue 17). What one host kept beside itself moves into the database, so
-- several hosts can serve one file: the Data Protection key ring (was {data}/keys/*.xml, imported
-- at the first start), product images (were {data}/images/{gtin14}.{ext}) and a change feed that
-- every host polls to evict lookup cache entries another host's writes made stale.
CREATE TABLE data_protection_keys (
    name       TEXT NOT NULL PRIMARY KEY,
    xml        TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE product_images (
    gtin       TEXT NOT NULL PRIMARY KEY,
    ext        TEXT NOT NULL,
    bytes      BLOB NOT NULL,
    etag       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- AUTOINCREMENT: a sequence is never reused, even after old rows are pruned, so a poller's
-- "after N" never skips a change. Sequences are assigned under the write lock: commit order.
CREATE TABLE changes (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    key    TEXT NOT NULL,
    origin TEXT NOT NULL,
    at     INTEGER NOT NULL
);
CREATE INDEX changes_at ON changes (at);
