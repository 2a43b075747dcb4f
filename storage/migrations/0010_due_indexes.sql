-- 0010: the periodic job reads only what is due, and a risk never waits behind a
-- send-out (issue 14).

-- What the job looks for (check-ins still open, to expire or remind) is found by status,
-- so an idle tick reads the few open check-ins, not every check-in ever made.
CREATE INDEX checkins_by_status ON checkins (status, due_at);

-- Which of this week's digests are made, asked once a tick for every reader.
CREATE INDEX digests_by_start ON digests (period_start);

-- The outbox is sent most urgent first: alerts and requests to talk to a person (0), then
-- replies and news for one person (1), then send-outs to many (2: check-ins, reminders,
-- digests, "you said, we did"). With 10,000 check-ins due at once, an alert raised in the
-- middle goes next, not five minutes later.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;
UPDATE outbox SET priority = CASE
    WHEN purpose IN ('alert', 'talk_request') THEN 0
    WHEN purpose IN ('checkin_start', 'checkin_reminder', 'digest', 'digest_file', 'action')
        THEN 2
    ELSE 1 END;
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (status, priority, id);
