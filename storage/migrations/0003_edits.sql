-- Which of the person's Telegram messages an answer or an issue came from, so that when
-- they edit that message the new version is kept beside the first, never over it.
ALTER TABLE answers ADD COLUMN message_id INTEGER;
ALTER TABLE issues ADD COLUMN message_id INTEGER;

CREATE TABLE edits (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    message_id  INTEGER NOT NULL,                  -- the person's message that changed
    answer_id   INTEGER REFERENCES answers (id),   -- what it first said, if carebot kept it
    issue_id    INTEGER REFERENCES issues (id),
    text        TEXT NOT NULL,                     -- the new version, as typed
    sentiment   TEXT,                              -- the new version's tags
    risk        TEXT,
    evidence    TEXT,
    edited_at   TEXT NOT NULL
);
CREATE INDEX edits_by_person ON edits (person_id);
CREATE INDEX answers_by_message ON answers (person_id, message_id);
CREATE INDEX issues_by_message ON issues (raised_by_id, message_id);
