-- 0016: nothing a person sends goes unread (issue 29).
--
-- Every answer with words or media, every message (issue), every changed message and
-- every photo, voice note or file sent on its own is put on its service's read list BY
-- THE DATABASE, in the same transaction that keeps it: no handler can forget to, and a
-- crash cannot keep the words without the item. Staff read the list in Telegram (/read),
-- and what they judge each item to be is kept beside it: the label the tagger learns from
-- (`carebot train --with-reviews`). The words stay where they are (answers, issues,
-- edits, media_messages), so /forget and retention, which take the words, take the label's
-- words with them.

-- A photo, video, voice note, sticker or file sent without words: kept (carebot cannot
-- read it, a person can look or listen in Telegram).
CREATE TABLE media_messages (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    service_id   INTEGER REFERENCES services (id),
    checkin_id   INTEGER REFERENCES checkins (id),   -- sent while a check-in was open
    kinds        TEXT NOT NULL,                      -- e.g. 'voice', 'photo, photo'
    file_ids     TEXT,                               -- one a line; NULL once forgotten
    duration     INTEGER,                            -- seconds, for voice and video
    message_id   INTEGER NOT NULL,                   -- the person's message in their chat
    received_at  TEXT NOT NULL,
    UNIQUE (person_id, message_id)
);

CREATE TABLE read_items (
    id               INTEGER PRIMARY KEY,
    service_id       INTEGER REFERENCES services (id),
    person_id        INTEGER NOT NULL REFERENCES people (id),
    answer_id        INTEGER UNIQUE REFERENCES answers (id),
    issue_id         INTEGER UNIQUE REFERENCES issues (id),
    edit_id          INTEGER UNIQUE REFERENCES edits (id),
    media_id         INTEGER UNIQUE REFERENCES media_messages (id),
    risk             TEXT NOT NULL DEFAULT 'none',   -- the tagger's, when it has read it
    risk_score       REAL NOT NULL DEFAULT 0,
    safety_answer    INTEGER NOT NULL DEFAULT 0,     -- a worrying answer to a safety question
    arrived_at       TEXT NOT NULL,
    read_at          TEXT,
    read_by          INTEGER REFERENCES people (id),
    judgement        TEXT CHECK (judgement IN
                       ('no_concern', 'concern', 'problem', 'not_a_concern')),
    overdue_told_at  TEXT,                           -- the duty contact told it waits
    late_told_at     TEXT,                           -- the commissioner told it waits
    CHECK ((answer_id IS NOT NULL) + (issue_id IS NOT NULL) + (edit_id IS NOT NULL)
           + (media_id IS NOT NULL) = 1)
);
CREATE INDEX read_items_unread ON read_items (service_id, arrived_at) WHERE read_at IS NULL;
CREATE INDEX read_items_by_service ON read_items (service_id, arrived_at);
CREATE INDEX read_items_by_reader ON read_items (read_by);

CREATE TRIGGER read_answer_added AFTER INSERT ON answers
WHEN NEW.text IS NOT NULL OR NEW.media_file_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO read_items (service_id, person_id, answer_id, arrived_at)
    VALUES (NEW.service_id, NEW.person_id, NEW.id, NEW.answered_at);
END;

-- Words typed after a button answer are kept on that answer (storage/checkins.py).
CREATE TRIGGER read_answer_words AFTER UPDATE OF text, media_file_id ON answers
WHEN NEW.text IS NOT NULL OR NEW.media_file_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO read_items (service_id, person_id, answer_id, arrived_at)
    VALUES (NEW.service_id, NEW.person_id, NEW.id, NEW.answered_at);
END;

CREATE TRIGGER read_issue_added AFTER INSERT ON issues BEGIN
    INSERT OR IGNORE INTO read_items (service_id, person_id, issue_id, arrived_at)
    VALUES (NEW.service_id, NEW.raised_by_id, NEW.id, NEW.created_at);
END;

CREATE TRIGGER read_edit_added AFTER INSERT ON edits BEGIN
    INSERT OR IGNORE INTO read_items (service_id, person_id, edit_id, risk, arrived_at)
    VALUES (COALESCE((SELECT service_id FROM answers WHERE id = NEW.answer_id),
                     (SELECT service_id FROM issues WHERE id = NEW.issue_id),
                     (SELECT service_id FROM people WHERE id = NEW.person_id)),
            NEW.person_id, NEW.id, COALESCE(NEW.risk, 'none'), NEW.edited_at);
END;

CREATE TRIGGER read_media_added AFTER INSERT ON media_messages BEGIN
    INSERT OR IGNORE INTO read_items (service_id, person_id, media_id, arrived_at)
    VALUES (NEW.service_id, NEW.person_id, NEW.id, NEW.received_at);
END;

-- The tagger's risk, as it is kept, ranks the item: the most worrying first.
CREATE TRIGGER read_risk_tagged AFTER INSERT ON tags WHEN NEW.kind = 'risk' BEGIN
    UPDATE read_items SET risk = NEW.value, risk_score = COALESCE(NEW.score, 0)
    WHERE answer_id = NEW.answer_id OR issue_id = NEW.issue_id;
END;

-- What people sent in the two days before this upgrade goes on the list unread; what is
-- older was sent before there was a list, and is not put on one.
INSERT INTO read_items (service_id, person_id, answer_id, risk, arrived_at)
    SELECT a.service_id, a.person_id, a.id,
           COALESCE((SELECT value FROM tags WHERE answer_id = a.id AND kind = 'risk'), 'none'),
           a.answered_at
    FROM answers a
    WHERE (a.text IS NOT NULL OR a.media_file_id IS NOT NULL)
      AND a.answered_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days');
INSERT INTO read_items (service_id, person_id, issue_id, risk, arrived_at)
    SELECT i.service_id, i.raised_by_id, i.id,
           COALESCE((SELECT value FROM tags WHERE issue_id = i.id AND kind = 'risk'), 'none'),
           i.created_at
    FROM issues i
    WHERE i.created_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days');
