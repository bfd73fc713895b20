-- Issue 21: the stall or shop an inspection was made at (the inspector app's "place" field).
ALTER TABLE inspections ADD COLUMN place TEXT;

-- Issue 21 (9): the producer's website beside its phone, and each product's certificates
-- (JSON [{standard, number, issuer, validFrom, validTo}]) beside the standards' names.
ALTER TABLE producers ADD COLUMN website TEXT;
ALTER TABLE products ADD COLUMN certificates TEXT NOT NULL DEFAULT '[]';
