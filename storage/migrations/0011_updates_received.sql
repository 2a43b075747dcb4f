-- 0011: every update is handled once, crash or not (issue 26). An update is written here
-- before Telegram is told it arrived (the next getUpdates, or the webhook's 200), so a
-- crash cannot lose it; it is marked handled once its handler has finished, so one that
-- a crash interrupted is handled again on start, and one Telegram sends again is not.
-- Its words are kept only until it is handled. Rows are kept a few days, for Telegram's
-- repeats, then removed.
CREATE TABLE updates_received (
    update_id INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL,
    body TEXT,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'handled', 'set_aside')),
    attempts INTEGER NOT NULL DEFAULT 0,
    handled_at TEXT
);
CREATE INDEX updates_waiting ON updates_received (update_id) WHERE status = 'waiting';
CREATE INDEX updates_by_time ON updates_received (received_at);

-- Words handled again after a crash find the alert they raised before.
CREATE INDEX alerts_by_issue ON alerts (issue_id) WHERE issue_id IS NOT NULL;
CREATE INDEX alerts_by_answer ON alerts (answer_id) WHERE answer_id IS NOT NULL;
