-- 0001: the first schema. Everything a person says lives in `answers` and `issues`;
-- nothing here is ever updated in place except status columns and timestamps.
-- Times are UTC text in one fixed-width format (see storage/db.py), so they sort as text.

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('council', 'provider')),
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (kind, name)
);

CREATE TABLE services (
    id               INTEGER PRIMARY KEY,
    council_id       INTEGER NOT NULL REFERENCES organisations (id),
    provider_id      INTEGER NOT NULL REFERENCES organisations (id),
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,           -- e.g. 'home care', 'day service'
    duty_contact_id  INTEGER REFERENCES people (id),
    created_at       TEXT NOT NULL,
    UNIQUE (provider_id, name)
);

CREATE TABLE people (
    id                INTEGER PRIMARY KEY,
    role              TEXT NOT NULL CHECK (role IN
                        ('person', 'carer', 'provider', 'commissioner', 'duty_contact',
                         'board_member', 'admin')),
    display_name      TEXT NOT NULL,
    organisation_id   INTEGER REFERENCES organisations (id),
    service_id        INTEGER REFERENCES services (id),
    cares_for_id      INTEGER REFERENCES people (id),
    telegram_user_id  INTEGER UNIQUE,
    chat_id           INTEGER,
    status            TEXT NOT NULL DEFAULT 'awaiting_consent' CHECK (status IN
                        ('awaiting_consent', 'active', 'declined', 'stopped', 'blocked',
                         'forgotten')),
    consent_at        TEXT,
    enrolled_at       TEXT NOT NULL,
    invite_code       TEXT REFERENCES invites (code)
);
CREATE INDEX people_by_service ON people (service_id, role);

CREATE TABLE invites (
    code             TEXT PRIMARY KEY,
    role             TEXT NOT NULL,
    display_name     TEXT,
    organisation_id  INTEGER REFERENCES organisations (id),
    service_id       INTEGER REFERENCES services (id),
    cares_for_id     INTEGER REFERENCES people (id),
    created_at       TEXT NOT NULL,
    expires_at       TEXT,
    used_at          TEXT,
    revoked_at       TEXT
);

CREATE TABLE schedules (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL UNIQUE REFERENCES people (id),
    frequency    TEXT NOT NULL DEFAULT 'weekly'
                   CHECK (frequency IN ('weekly', 'fortnightly', 'monthly')),
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),   -- Monday is 0
    time_window  TEXT NOT NULL CHECK (time_window IN ('morning', 'afternoon', 'evening')),
    timezone     TEXT NOT NULL DEFAULT 'Europe/London',
    next_due_at  TEXT NOT NULL,
    paused_until TEXT,
    active       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX schedules_due ON schedules (active, next_due_at);

CREATE TABLE checkins (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people (id),
    service_id    INTEGER NOT NULL REFERENCES services (id),
    schedule_id   INTEGER REFERENCES schedules (id),
    due_at        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    questions     TEXT NOT NULL,                   -- the plan asked, e.g. 'fft,safe,food,…'
    helped_by     TEXT,                            -- family, carer, advocate, someone; NULL: alone
    status        TEXT NOT NULL DEFAULT 'queued' CHECK (status IN
                    ('queued', 'sent', 'in_progress', 'completed', 'expired', 'missed')),
    step          INTEGER NOT NULL DEFAULT 0,      -- index of the question now waiting
    message_id    INTEGER,                         -- the Telegram message showing it
    sent_at       TEXT,
    reminded_at   TEXT,
    completed_at  TEXT,
    UNIQUE (schedule_id, due_at)                   -- a due check-in is made once only
);
CREATE INDEX checkins_by_person ON checkins (person_id, status);
CREATE INDEX checkins_by_service ON checkins (service_id, due_at);

CREATE TABLE answers (
    id            INTEGER PRIMARY KEY,
    checkin_id    INTEGER NOT NULL REFERENCES checkins (id),
    person_id     INTEGER NOT NULL REFERENCES people (id),
    service_id    INTEGER NOT NULL REFERENCES services (id),
    question_key  TEXT NOT NULL,
    prompt_kind   TEXT,                            -- Working Together for Change prompt
    choice        TEXT,                            -- a button's value, or NULL
    text          TEXT,                            -- what was typed, exactly as typed
    skipped       INTEGER NOT NULL DEFAULT 0,
    answered_at   TEXT NOT NULL,
    UNIQUE (checkin_id, question_key)
);
CREATE INDEX answers_by_service ON answers (service_id, answered_at);

CREATE TABLE issues (
    id            INTEGER PRIMARY KEY,
    reference     TEXT UNIQUE,                     -- 'CB-1042', set from the id
    raised_by_id  INTEGER NOT NULL REFERENCES people (id),
    service_id    INTEGER NOT NULL REFERENCES services (id),
    kind          TEXT CHECK (kind IN ('problem', 'compliment', 'idea')),  -- NULL: not said yet
    text          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'seen', 'in_progress', 'resolved')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX issues_by_service ON issues (service_id, status);

CREATE TABLE issue_updates (
    id          INTEGER PRIMARY KEY,
    issue_id    INTEGER NOT NULL REFERENCES issues (id),
    status      TEXT NOT NULL,
    note        TEXT,
    by_id       INTEGER REFERENCES people (id),
    created_at  TEXT NOT NULL
);

-- Tags hang off exactly one piece of text: an answer or an issue.
CREATE TABLE tags (
    id          INTEGER PRIMARY KEY,
    answer_id   INTEGER REFERENCES answers (id),
    issue_id    INTEGER REFERENCES issues (id),
    kind        TEXT NOT NULL CHECK (kind IN ('sentiment', 'theme', 'risk')),
    value       TEXT NOT NULL,
    score       REAL,
    evidence    TEXT,
    tagger      TEXT NOT NULL,                     -- which tagger and version made it
    created_at  TEXT NOT NULL,
    CHECK ((answer_id IS NULL) <> (issue_id IS NULL))
);
CREATE INDEX tags_by_answer ON tags (answer_id);
CREATE INDEX tags_by_issue ON tags (issue_id);

CREATE TABLE alerts (
    id               INTEGER PRIMARY KEY,
    service_id       INTEGER NOT NULL REFERENCES services (id),
    about_id         INTEGER REFERENCES people (id),
    answer_id        INTEGER REFERENCES answers (id),
    issue_id         INTEGER REFERENCES issues (id),
    level            TEXT NOT NULL CHECK (level IN ('concern', 'urgent')),
    evidence         TEXT,
    duty_contact_id  INTEGER REFERENCES people (id),
    created_at       TEXT NOT NULL,
    acknowledged_at  TEXT,
    acknowledged_by  INTEGER REFERENCES people (id)
);

-- "You said, we did": an action agreed for a service, sent back to its people.
CREATE TABLE actions (
    id            INTEGER PRIMARY KEY,
    service_id    INTEGER NOT NULL REFERENCES services (id),
    theme         TEXT,
    you_said      TEXT NOT NULL,
    we_did        TEXT NOT NULL,
    recorded_by   INTEGER REFERENCES people (id),
    agreed_at     TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- Every message the bot means to send. Written in the same transaction as the change
-- that causes it, so a crash or restart never loses one; `dedupe_key` stops repeats.
CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY,
    chat_id        INTEGER NOT NULL,
    person_id      INTEGER REFERENCES people (id),
    purpose        TEXT NOT NULL,                  -- e.g. 'checkin_start', 'digest'
    text           TEXT,
    reply_markup   TEXT,                           -- JSON from conversations' choices
    document_path  TEXT,
    checkin_id     INTEGER REFERENCES checkins (id),
    dedupe_key     TEXT UNIQUE,
    status         TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    not_before     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    sent_at        TEXT,
    message_id     INTEGER,
    error          TEXT
);
CREATE INDEX outbox_pending ON outbox (status, not_before);

CREATE TABLE digests (
    id                INTEGER PRIMARY KEY,
    commissioner_id   INTEGER NOT NULL REFERENCES people (id),
    period_start      TEXT NOT NULL,
    period_end        TEXT NOT NULL,
    html_path         TEXT,
    csv_path          TEXT,
    created_at        TEXT NOT NULL,
    UNIQUE (commissioner_id, period_start)
);

-- What happened that is not an answer: odd input, refused commands, send failures.
CREATE TABLE events (
    id                INTEGER PRIMARY KEY,
    at                TEXT NOT NULL,
    kind              TEXT NOT NULL,
    telegram_user_id  INTEGER,
    person_id         INTEGER REFERENCES people (id),
    detail            TEXT
);
CREATE INDEX events_by_kind ON events (kind, at);
