-- 0008: a capture job remembers its GS1-Capture-Error-Behaviour (issue 20): rollback (all events or
-- none, as every job before this migration) or proceed (the valid events stored, the others' errors listed).
ALTER TABLE capture_jobs ADD COLUMN error_behaviour TEXT NOT NULL DEFAULT 'rollback';
