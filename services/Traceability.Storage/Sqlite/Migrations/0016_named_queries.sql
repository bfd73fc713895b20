-- 0016: EPCIS named queries (issue 20), one namespace per owner (a producer's id, or 'staff').
CREATE TABLE named_queries (
    owner      TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    definition TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (owner, name)
) WITHOUT ROWID;
