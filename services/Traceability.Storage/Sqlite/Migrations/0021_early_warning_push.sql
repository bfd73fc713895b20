-- 0022: the early-warning webhook's outbox (issue 19). An alert whose push is due carries push_due
-- (ms since the epoch), set in the same write that opened the alert or raised its score; the
-- delivery clears it only after the receiver answered 2xx, so an acknowledged alert is pushed at
-- least once even across a restart. pushed_score is the score last delivered (a later rise of a
-- whole threshold pushes again); push_attempts counts failed rounds for the back-off.
ALTER TABLE ew_alerts ADD COLUMN push_due INTEGER;
ALTER TABLE ew_alerts ADD COLUMN pushed_score REAL;
ALTER TABLE ew_alerts ADD COLUMN push_attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ew_alerts_push_due ON ew_alerts (push_due) WHERE push_due IS NOT NULL;
