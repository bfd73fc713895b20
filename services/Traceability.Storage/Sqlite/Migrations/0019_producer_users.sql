-- 0019: personal sign-in for a producer's staff (issue 21 point 8). The producer's API key stays for
-- machines; people sign in to the console with their e-mail or phone and a password, of which only
-- a PBKDF2 hash (ASP.NET Core Identity's format, algorithm and salt inside) is kept. A login names
-- one person across all producers: sign-in asks for no producer.
CREATE TABLE producer_users (
    id                   TEXT    NOT NULL PRIMARY KEY,
    producer_id          TEXT    NOT NULL REFERENCES producers (id),
    login                TEXT    NOT NULL,
    name                 TEXT    NOT NULL,
    role                 TEXT    NOT NULL,
    password_hash        TEXT    NOT NULL,
    must_change_password INTEGER NOT NULL,
    password_changed_at  INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    created_by           TEXT    NOT NULL,
    disabled_at          INTEGER
);
CREATE UNIQUE INDEX producer_users_login ON producer_users (login);
CREATE INDEX producer_users_producer ON producer_users (producer_id, created_at);
