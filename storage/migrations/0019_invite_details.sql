-- What a council's spreadsheet says of each person invited: the language they prefer,
-- how to reach them (printed on their letter, and forgotten once they join), and, for a
-- carer, the invite of the person they care for when that person has not joined yet.
ALTER TABLE invites ADD COLUMN language TEXT;
ALTER TABLE invites ADD COLUMN contact TEXT;
ALTER TABLE invites ADD COLUMN cares_for_code TEXT REFERENCES invites (code);
CREATE INDEX invites_by_cared_for ON invites (cares_for_code) WHERE cares_for_code IS NOT NULL;
