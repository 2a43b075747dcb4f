-- An issue can also be closed with no action (the reason is in its issue_updates note).
-- SQLite cannot change a CHECK in place, so the table is rebuilt with every row kept; the
-- runner turns foreign keys off for the copy and checks them all before committing.
CREATE TABLE issues_new (
    id            INTEGER PRIMARY KEY,
    reference     TEXT UNIQUE,                     -- 'CB-1042', set from the id
    raised_by_id  INTEGER NOT NULL REFERENCES people (id),
    service_id    INTEGER NOT NULL REFERENCES services (id),
    kind          TEXT CHECK (kind IN ('problem', 'compliment', 'idea')),  -- NULL: not said yet
    text          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'seen', 'in_progress', 'resolved',
                                      'closed_no_action')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    media_file_id TEXT,
    message_id    INTEGER
);
INSERT INTO issues_new (id, reference, raised_by_id, service_id, kind, text, status,
                        created_at, updated_at, media_file_id, message_id)
    SELECT id, reference, raised_by_id, service_id, kind, text, status, created_at,
           updated_at, media_file_id, message_id FROM issues;
DROP TABLE issues;
ALTER TABLE issues_new RENAME TO issues;
CREATE INDEX issues_by_service ON issues (service_id, status);
CREATE INDEX issues_by_message ON issues (raised_by_id, message_id);
CREATE INDEX issue_updates_by_issue ON issue_updates (issue_id);
