-- 0006: clone signals an outsider cannot forge (issue 15). Each scan keeps who kind of scanner made
-- it (consumer, inspector, producer, staff), whether its place is attested (an authenticated verify
-- with GPS or a chosen province) or only claimed, and a client pseudonym: a salted hash of the
-- network (IPv4 /24, IPv6 /48) and user-agent whose salt changes every day and is then deleted, so
-- the log holds no personal data. Rows written before this migration have no client.
ALTER TABLE scans ADD COLUMN client TEXT;
ALTER TABLE scans ADD COLUMN source TEXT NOT NULL DEFAULT 'consumer';
ALTER TABLE scans ADD COLUMN attested INTEGER NOT NULL DEFAULT 0;

CREATE TABLE scan_salts (
    day  TEXT NOT NULL PRIMARY KEY,
    salt BLOB NOT NULL
);
