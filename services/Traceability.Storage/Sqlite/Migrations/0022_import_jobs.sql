-- 0025: console spreadsheet imports live in the database (issue 17, stateless hosts), so any host
-- over the file shows a job's progress and result and can commit it; before, they were in one
-- process's memory (sticky sessions). The validated EPCIS documents are kept per chunk until the
-- job expires; the job row's version is its optimistic-concurrency stamp.
CREATE TABLE import_jobs (
    id          TEXT NOT NULL PRIMARY KEY,
    producer_id TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    lang        TEXT NOT NULL,
    phase       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    validated   INTEGER NOT NULL,
    events      INTEGER NOT NULL,
    committed   INTEGER NOT NULL,
    stored      INTEGER NOT NULL,
    duplicates  INTEGER NOT NULL,
    error_rows  INTEGER NOT NULL,
    chunks      INTEGER NOT NULL,
    message     TEXT,
    details     TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX import_jobs_created ON import_jobs (created_at);

CREATE TABLE import_chunks (
    job_id    TEXT NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    document  BLOB NOT NULL,
    events    INTEGER NOT NULL,
    first_row INTEGER NOT NULL,
    last_row  INTEGER NOT NULL,
    PRIMARY KEY (job_id, idx)
);
