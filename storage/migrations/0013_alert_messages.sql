-- 0013: a duty contact can write to the person an alert is about (or the carer who told
-- us) through carebot, and the reply comes back to them (issue 26). Every message both
-- ways is kept on the alert's record; like the alert, it is kept when a person asks to be
-- forgotten. A person's messages go to the member of staff who last wrote to them, for
-- a while after (bot/handlers/relay.py).
CREATE TABLE alert_messages (
    id          INTEGER PRIMARY KEY,
    alert_id    INTEGER NOT NULL REFERENCES alerts (id),
    staff_id    INTEGER NOT NULL REFERENCES people (id),
    person_id   INTEGER NOT NULL REFERENCES people (id),
    direction   TEXT NOT NULL CHECK (direction IN ('to_person', 'from_person')),
    text        TEXT NOT NULL,
    message_id  INTEGER,                      -- the person's Telegram message, for a reply
    created_at  TEXT NOT NULL
);
CREATE INDEX alert_messages_by_person ON alert_messages (person_id, created_at);
CREATE INDEX alert_messages_by_alert ON alert_messages (alert_id);
CREATE UNIQUE INDEX alert_messages_once ON alert_messages (person_id, message_id)
    WHERE message_id IS NOT NULL;

-- An alert whose words accuse someone paid to care (understanding/allegations.py) goes to
-- the council's safeguarding lead at once as well as the duty contact, and the provider
-- hears of the problem without the person's name or words until the lead lets them see
-- it (`released_at`; NULL: not yet).
ALTER TABLE alerts ADD COLUMN names_staff INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN released_at TEXT;
