-- Issue 21: the stall or shop an inspection was made at (the inspector app's "place" field).
ALTER TABLE inspections ADD COLUMN place TEXT;

-- Issue 21 (9): the contact a producer publishes for shoppers (apart from the phone and e-mail
-- registered with the authority, which stay private), and each product's certificates
-- (JSON [{standard, number, issuer, validFrom, validTo}]) beside the standards' names.
ALTER TABLE producers ADD COLUMN public_phone TEXT;
ALTER TABLE producers ADD COLUMN website TEXT;
ALTER TABLE products ADD COLUMN certificates TEXT NOT NULL DEFAULT '[]';
