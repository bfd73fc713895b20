-- Issue 21: the stall or shop an inspection was made at (the inspector app's "place" field).
ALTER TABLE inspections ADD COLUMN place TEXT;
