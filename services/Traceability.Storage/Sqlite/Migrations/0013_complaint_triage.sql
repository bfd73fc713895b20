-- 0013: complaint triage and published inspection outcomes (issue 18, points 4–6).
-- A report gets an assignee (a staff member's id) and an outcome; "closed" becomes "resolved"
-- (the triage vocabulary is new → in_review → resolved | rejected). Internal notes are kept as
-- a history (rows are only added). An inspection's outcome can be published on /canh-bao.
ALTER TABLE reports ADD COLUMN assignee TEXT;
ALTER TABLE reports ADD COLUMN outcome TEXT;
UPDATE reports SET status = 'resolved' WHERE status = 'closed';

CREATE TABLE report_notes (
    id        TEXT    NOT NULL PRIMARY KEY,
    report_id TEXT    NOT NULL REFERENCES reports (id),
    at        INTEGER NOT NULL,
    author    TEXT    NOT NULL,
    text      TEXT    NOT NULL
);
CREATE INDEX ix_report_notes_report ON report_notes (report_id, at);

ALTER TABLE inspections ADD COLUMN published_at INTEGER;
CREATE INDEX ix_inspections_published ON inspections (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX ix_inspections_inspected ON inspections (inspected_at);
