-- 0009: each service's counts for one week (choices, people, themes, sentiment, who
-- helped), kept so a digest
-- counts a past week once instead of every time: a year's digest has 52 weeks of trend
-- for every service. A kept week is deleted the moment any answer or tag in it is added,
-- changed or removed, or a check-in in it finished (the triggers below), so what is kept is never out of date; the
-- next report counts that week again. A week is any 7 days from `week_start` (readers
-- choose the day their digest comes), so a change deletes every kept week holding it.
CREATE TABLE week_counts (
    service_id  INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    week_start  TEXT NOT NULL,
    counts      TEXT NOT NULL,                   -- JSON: see storage/week_counts.py
    PRIMARY KEY (service_id, week_start)
) WITHOUT ROWID;

CREATE TRIGGER week_counts_answer_added AFTER INSERT ON answers BEGIN
    DELETE FROM week_counts WHERE service_id = NEW.service_id
        AND week_start > strftime('%Y-%m-%dT%H:%M:%fZ', NEW.answered_at, '-8 days')
        AND week_start <= NEW.answered_at;
END;

CREATE TRIGGER week_counts_answer_changed AFTER UPDATE ON answers BEGIN
    DELETE FROM week_counts WHERE service_id IN (OLD.service_id, NEW.service_id)
        AND week_start > strftime('%Y-%m-%dT%H:%M:%fZ', MIN(OLD.answered_at, NEW.answered_at),
                                  '-8 days')
        AND week_start <= MAX(OLD.answered_at, NEW.answered_at);
END;

CREATE TRIGGER week_counts_answer_removed AFTER DELETE ON answers BEGIN
    DELETE FROM week_counts WHERE service_id = OLD.service_id
        AND week_start > strftime('%Y-%m-%dT%H:%M:%fZ', OLD.answered_at, '-8 days')
        AND week_start <= OLD.answered_at;
END;


-- A tag belongs to an answer: the answer says which service and week it is in.
CREATE TRIGGER week_counts_tag_added AFTER INSERT ON tags WHEN NEW.answer_id IS NOT NULL
BEGIN
    DELETE FROM week_counts WHERE service_id = (SELECT service_id FROM answers WHERE id = NEW.answer_id)
        AND week_start > (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', answered_at, '-8 days') FROM answers WHERE id = NEW.answer_id)
        AND week_start <= (SELECT answered_at FROM answers WHERE id = NEW.answer_id);
END;

CREATE TRIGGER week_counts_tag_removed AFTER DELETE ON tags WHEN OLD.answer_id IS NOT NULL
BEGIN
    DELETE FROM week_counts WHERE service_id = (SELECT service_id FROM answers WHERE id = OLD.answer_id)
        AND week_start > (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', answered_at, '-8 days') FROM answers WHERE id = OLD.answer_id)
        AND week_start <= (SELECT answered_at FROM answers WHERE id = OLD.answer_id);
END;

CREATE TRIGGER week_counts_tag_changed_from AFTER UPDATE OF answer_id, kind, value ON tags WHEN OLD.answer_id IS NOT NULL
BEGIN
    DELETE FROM week_counts WHERE service_id = (SELECT service_id FROM answers WHERE id = OLD.answer_id)
        AND week_start > (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', answered_at, '-8 days') FROM answers WHERE id = OLD.answer_id)
        AND week_start <= (SELECT answered_at FROM answers WHERE id = OLD.answer_id);
END;

CREATE TRIGGER week_counts_tag_changed_to AFTER UPDATE OF answer_id, kind, value ON tags WHEN NEW.answer_id IS NOT NULL
BEGIN
    DELETE FROM week_counts WHERE service_id = (SELECT service_id FROM answers WHERE id = NEW.answer_id)
        AND week_start > (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', answered_at, '-8 days') FROM answers WHERE id = NEW.answer_id)
        AND week_start <= (SELECT answered_at FROM answers WHERE id = NEW.answer_id);
END;

-- Who helped is counted from check-ins finished in the week. (A NULL time matches no
-- week, so each side of a change is cleared only when it had a time.)
CREATE TRIGGER week_counts_checkin_added AFTER INSERT ON checkins WHEN NEW.completed_at IS NOT NULL
BEGIN
    DELETE FROM week_counts WHERE service_id = NEW.service_id
        AND week_start > strftime('%Y-%m-%dT%H:%M:%fZ', NEW.completed_at, '-8 days')
        AND week_start <= NEW.completed_at;
END;

CREATE TRIGGER week_counts_checkin_changed AFTER UPDATE OF completed_at, helped_by, service_id ON checkins
BEGIN
    DELETE FROM week_counts WHERE service_id = OLD.service_id
        AND week_start > strftime('%Y-%m-%dT%H:%M:%fZ', OLD.completed_at, '-8 days')
        AND week_start <= OLD.completed_at;
    DELETE FROM week_counts WHERE service_id = NEW.service_id
        AND week_start > strftime('%Y-%m-%dT%H:%M:%fZ', NEW.completed_at, '-8 days')
        AND week_start <= NEW.completed_at;
END;

CREATE TRIGGER week_counts_checkin_removed AFTER DELETE ON checkins WHEN OLD.completed_at IS NOT NULL
BEGIN
    DELETE FROM week_counts WHERE service_id = OLD.service_id
        AND week_start > strftime('%Y-%m-%dT%H:%M:%fZ', OLD.completed_at, '-8 days')
        AND week_start <= OLD.completed_at;
END;
