-- 0014: the periodic report (issue 18 point 7). Its aggregates read a period of scans and of the
-- outbox rows created in it; without these indexes both would scan the whole table (a million scans a year).
-- Scans of unregistered codes are kept too (unknown = 1), for the report's count of unknown-code
-- scans; a lot's scan history (clone detection) leaves them out.
ALTER TABLE scans ADD COLUMN unknown INTEGER NOT NULL DEFAULT 0;
-- ix_scans_time covers the scans query (day, source, province, unknown), so the table itself is not read.
CREATE INDEX ix_scans_time ON scans (time, source, province, unknown);
CREATE INDEX ix_outbox_created ON outbox (created_at, state);
