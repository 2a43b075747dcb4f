-- People and services change: a member of staff is paused or leaves (an admin stopped
-- them: unlike /stop, /start does not bring them back), and a service closes.
ALTER TABLE people ADD COLUMN admin_stopped_at TEXT;
ALTER TABLE services ADD COLUMN closed_at TEXT;
