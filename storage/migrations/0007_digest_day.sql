-- 0007: each reader of digests can choose the day theirs comes (NULL: the council's day).
ALTER TABLE people ADD COLUMN digest_weekday INTEGER CHECK (digest_weekday BETWEEN 0 AND 6);
