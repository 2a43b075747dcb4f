-- 0014: what people really do in Telegram (issue 27).
--
-- A person can reply to one of the bot's earlier messages. To know which check-in
-- question a reply is about, every message that showed a question (or a check-in's
-- hello: step 0) is kept here, not only the one now waiting (checkins.message_id).
-- Ids, never words. The trigger writes a row wherever a check-in's message is set (a
-- question sent, a reminder, a hello, a restore marking a hello sent), so no writer
-- can forget it. Only a person's last three check-ins are kept: a reply answers a
-- question for 7 days at most (bot/handlers/checkin.py), and a year of every question
-- message would be millions of rows; a reply to an older one is new feedback.
CREATE TABLE question_messages (
    person_id   INTEGER NOT NULL REFERENCES people (id),
    message_id  INTEGER NOT NULL,                     -- the bot's message in their chat
    checkin_id  INTEGER NOT NULL REFERENCES checkins (id),
    step        INTEGER NOT NULL,                     -- 0: the hello; 1..: a question
    PRIMARY KEY (person_id, message_id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO question_messages (person_id, message_id, checkin_id, step)
    SELECT person_id, message_id, id, step FROM checkins
    WHERE message_id IS NOT NULL AND status IN ('sent', 'in_progress');

CREATE TRIGGER question_shown AFTER UPDATE OF message_id ON checkins
WHEN NEW.message_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO question_messages (person_id, message_id, checkin_id, step)
    VALUES (NEW.person_id, NEW.message_id, NEW.id, NEW.step);
END;

CREATE TRIGGER question_messages_pruned AFTER UPDATE OF message_id ON checkins
WHEN NEW.message_id IS NOT NULL AND NEW.step = 0
BEGIN
    DELETE FROM question_messages WHERE person_id = NEW.person_id AND checkin_id NOT IN (
        SELECT id FROM checkins WHERE person_id = NEW.person_id ORDER BY id DESC LIMIT 3);
END;

-- Someone else's message that a person forwarded to the bot is kept as feedback they
-- passed on, never as their own words: `forwarded` says so for good; `forwarded_from`
-- is who it came from as Telegram showed it (a third party's name, so it goes with the
-- words when the person asks to be forgotten or the words grow too old to keep).
ALTER TABLE issues ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE issues ADD COLUMN forwarded_from TEXT;
