-- 0011: the authority workspace's audit log (issue 18). One row per staff write (register, suspend,
-- reinstate, …): who, when, what, on which target, and why. Rows are only ever inserted.
CREATE TABLE audit (
    id      TEXT    NOT NULL PRIMARY KEY,
    at      INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    target  TEXT    NOT NULL,
    reason  TEXT,
    details TEXT
);
CREATE INDEX audit_at ON audit (at DESC, id);
CREATE INDEX audit_target ON audit (target, at DESC);
