-- 0006: digests count check-ins sent and finished in a period, per service; without
-- these, each count read every check-in ever made (issue 12's measure: 1.6 s a week's
-- digest on a council-year, most of it here).
CREATE INDEX checkins_sent ON checkins (service_id, sent_at);
CREATE INDEX checkins_completed ON checkins (service_id, completed_at);
CREATE INDEX alerts_by_service ON alerts (service_id, created_at);
CREATE INDEX issues_by_service_time ON issues (service_id, created_at);
