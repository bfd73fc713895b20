-- 0017: webhook subscriptions to EPCIS named queries (issue 20). The cursor (a page token after the
-- last delivered event) moves only after the destination accepted the batch; the lease lets one host
-- deliver each round.
CREATE TABLE subscriptions (
    id                       TEXT    NOT NULL PRIMARY KEY,
    owner                    TEXT    NOT NULL,
    query_name               TEXT    NOT NULL,
    destination              TEXT    NOT NULL,
    protected_signature_token TEXT,
    report_if_empty          INTEGER NOT NULL,
    schedule                 TEXT,
    created_at               INTEGER NOT NULL,
    since                    INTEGER NOT NULL,
    cursor                   TEXT,
    last_delivery_at         INTEGER,
    last_error               TEXT,
    failures                 INTEGER NOT NULL DEFAULT 0,
    next_attempt_at          INTEGER,
    lease_holder             TEXT,
    leased_until             INTEGER
);
CREATE INDEX subscriptions_owner_query ON subscriptions (owner, query_name);
