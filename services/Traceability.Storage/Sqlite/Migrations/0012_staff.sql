-- 0012: the authority's named staff accounts and the end of a recall (issue 18).
-- A staff account's keys are ordinary API keys (hashed as every key) that name the account, so
-- revoking the account revokes them all in one statement.
CREATE TABLE staff (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    unit       TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT    NOT NULL,
    revoked_at INTEGER
);
ALTER TABLE api_keys ADD COLUMN staff_id TEXT REFERENCES staff (id);
CREATE INDEX api_keys_staff ON api_keys (staff_id) WHERE staff_id IS NOT NULL;
CREATE INDEX api_keys_producer ON api_keys (producer_id) WHERE producer_id IS NOT NULL;

-- lifted_at (0003) marks the end; who ended it and why are kept beside it.
ALTER TABLE recalls ADD COLUMN ended_by TEXT;
ALTER TABLE recalls ADD COLUMN end_reason TEXT;
CREATE INDEX ix_recalls_issued ON recalls (issued_at DESC, id);
