-- 0014: the periodic report (issue 18 point 7). Its aggregates read a period of scans and of the
-- outbox rows created in it; without these indexes both would scan the whole table (a million scans a year).
-- Scans of unregistered codes are kept too (unknown = 1), for the report's count of unknown-code
-- scans; a lot's scan history (clone detection) leaves them out.
ALTER TABLE scans ADD COLUMN unknown INTEGER NOT NULL DEFAULT 0;
-- ix_scans_time covers the report's scans query (a day's range, grouped by province), so the table
-- itself is not read. ix_outbox_created counts one state's rows of a period as one index range.
CREATE INDEX ix_scans_time ON scans (time, source, province, unknown);
CREATE INDEX ix_outbox_created ON outbox (state, created_at);
