-- 0014: the periodic report (issue 18 point 7). Its aggregates read a period of scans and of the
-- outbox rows created in it; without these indexes both would scan the whole table (a million scans a year).
-- ix_scans_time covers the scans query (day, source, province), so the table itself is not read.
CREATE INDEX ix_scans_time ON scans (time, source, province);
CREATE INDEX ix_outbox_created ON outbox (created_at, state);
