-- 0012: a problem nobody reads is chased (issue 26, item 5). If nobody marks it seen
-- within `issue_seen_within_days` working days, the provider's staff are reminded; within
-- twice that, the council's commissioners are told and so is the person who raised it.
-- Each column says when that step was taken for the issue's current wait: a problem
-- opened again (its updated_at moves on) waits afresh and is chased afresh.
ALTER TABLE issues ADD COLUMN reminded_at TEXT;
ALTER TABLE issues ADD COLUMN escalated_at TEXT;

-- The periodic job reads only problems still waiting for a step, through these: a
-- handful of rows, however many issues were ever raised. An open problem's updated_at is
-- when it began to wait (its kind was said, or it was opened again).
CREATE INDEX issues_to_remind ON issues (updated_at)
    WHERE status = 'open' AND kind = 'problem'
      AND (reminded_at IS NULL OR reminded_at < updated_at);
CREATE INDEX issues_to_escalate ON issues (updated_at)
    WHERE status = 'open' AND kind = 'problem'
      AND (escalated_at IS NULL OR escalated_at < updated_at);
