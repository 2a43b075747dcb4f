-- 0005: closing the loop. Who stands behind a duty contact, how staff hear of new
-- problems, alerts that are chased until someone acts, notes staff are typing, actions
-- that answer an issue, and one audit log of everything staff do.

-- The chain an unanswered alert climbs: duty contact, then backup, then the council's lead.
ALTER TABLE services ADD COLUMN backup_contact_id INTEGER REFERENCES people (id);
ALTER TABLE organisations ADD COLUMN safeguarding_lead_id INTEGER REFERENCES people (id);

-- A provider hears of each new problem as it comes, or in one summary a day.
ALTER TABLE people ADD COLUMN issue_notices TEXT NOT NULL DEFAULT 'each'
    CHECK (issue_notices IN ('each', 'daily'));
ALTER TABLE people ADD COLUMN issue_summary_at TEXT;    -- when the last daily summary went

-- Alerts: a safeguarding risk or a request to talk to a person. `step` is how far up the
-- chain it has gone (0: the duty contact), `escalate_at` when it next climbs unless
-- someone acts, `outcome` what the person who acted said.
ALTER TABLE alerts ADD COLUMN kind TEXT NOT NULL DEFAULT 'safeguarding'
    CHECK (kind IN ('safeguarding', 'talk'));
ALTER TABLE alerts ADD COLUMN step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN escalate_at TEXT;
ALTER TABLE alerts ADD COLUMN outcome TEXT
    CHECK (outcome IN ('dealing', 'contacted', 'not_a_concern'));
CREATE INDEX alerts_to_escalate ON alerts (escalate_at) WHERE acknowledged_at IS NULL;

-- Each thing that happens to an alert: sent to someone, passed up the chain, acted on, a
-- note typed. Never updated.
CREATE TABLE alert_updates (
    id          INTEGER PRIMARY KEY,
    alert_id    INTEGER NOT NULL REFERENCES alerts (id),
    what        TEXT NOT NULL CHECK (what IN
                  ('sent', 'escalated', 'nobody', 'dealing', 'contacted', 'not_a_concern',
                   'note')),
    step        INTEGER NOT NULL,
    to_id       INTEGER REFERENCES people (id),   -- who it went to (sent, escalated)
    by_id       INTEGER REFERENCES people (id),   -- who acted (the rest)
    note        TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX alert_updates_by_alert ON alert_updates (alert_id);

-- An action can answer one issue, as well as (or instead of) a theme.
ALTER TABLE actions ADD COLUMN issue_id INTEGER REFERENCES issues (id);
CREATE INDEX actions_by_service ON actions (service_id, agreed_at);

-- What a member of staff is in the middle of: the note they are about to type (to close
-- an issue, on an alert) or an action they are recording. Kept here, not in memory, so a
-- restart loses none of it. One at a time per person.
CREATE TABLE drafts (
    person_id   INTEGER PRIMARY KEY REFERENCES people (id),
    purpose     TEXT NOT NULL,
    target_id   INTEGER,                  -- the issue, alert or service it is about
    choice      TEXT,                     -- e.g. the theme an action answers
    text        TEXT,                     -- what they typed, waiting to be confirmed
    created_at  TEXT NOT NULL
);

CREATE INDEX issue_updates_by_person ON issue_updates (by_id);

-- Everything staff do, in one place and in time order: issue changes, alert steps and
-- actions recorded. Read with `carebot audit`.
CREATE VIEW audit_log AS
    SELECT u.created_at AS at, u.by_id AS person_id, 'issue ' || u.status AS what,
           i.reference AS about, i.service_id AS service_id, u.note AS note
      FROM issue_updates u JOIN issues i ON i.id = u.issue_id
    UNION ALL
    SELECT a.created_at, COALESCE(a.by_id, a.to_id), 'alert ' || a.what,
           'A-' || a.alert_id, al.service_id, a.note
      FROM alert_updates a JOIN alerts al ON al.id = a.alert_id
    UNION ALL
    SELECT created_at, recorded_by, 'action recorded', COALESCE(theme, ''), service_id,
           we_did
      FROM actions;
