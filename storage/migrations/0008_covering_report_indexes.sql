-- 0008: a digest over a council-year reads indexes only, not the tables behind them.
-- Each index below holds every column the report queries read, in the order they
-- filter and group by (service, then time), so SQLite never looks a row up.
DROP INDEX answers_by_service;
CREATE INDEX answers_by_service ON answers
    (service_id, answered_at, question_key, choice, skipped, person_id);
-- Typed answers only: quotes and Working Together for Change read these few rows.
CREATE INDEX answers_typed ON answers (service_id, answered_at, prompt_kind, person_id)
    WHERE text IS NOT NULL AND choice IS NULL;
DROP INDEX checkins_completed;
CREATE INDEX checkins_completed ON checkins (service_id, completed_at, helped_by);
DROP INDEX tags_by_answer;
CREATE INDEX tags_by_answer ON tags (answer_id, kind, value);
