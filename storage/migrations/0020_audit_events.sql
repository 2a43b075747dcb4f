-- What the audit log did not hold: each admin command run (by whom: the account that ran
-- it), and each time a member of staff was shown people's own words (the read list, the
-- open issues). Names are never written here, only ids, read back with today's names: a
-- person who asks to be forgotten is forgotten here too. Rows are only ever added.
CREATE TABLE audit_events (
    id               INTEGER PRIMARY KEY,
    at               TEXT NOT NULL,
    actor            TEXT,                              -- the account that ran a command
    actor_id         INTEGER REFERENCES people (id),    -- or the member of staff
    what             TEXT NOT NULL,                     -- e.g. 'carebot invite', 'words shown'
    subject_id       INTEGER REFERENCES people (id),    -- whose words, or who it was about
    service_id       INTEGER REFERENCES services (id),
    organisation_id  INTEGER REFERENCES organisations (id),
    detail           TEXT                               -- options and references, no words
);
CREATE INDEX audit_events_by_time ON audit_events (at);

CREATE TRIGGER audit_events_never_changed BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
CREATE TRIGGER audit_events_never_deleted BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
