-- The highest issue and alert numbers ever given out, for a database put back from a
-- backup: the references people already hold (CB-1042, A-12) are never given again.
CREATE TABLE IF NOT EXISTS reference_floors (
    kind     TEXT PRIMARY KEY CHECK (kind IN ('issue', 'alert')),
    highest  INTEGER NOT NULL
);
