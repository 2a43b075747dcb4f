-- A photo, video or file sent with words (a caption): the words are the answer or the
-- message, and the media's Telegram file id is kept beside them so a person can look.
ALTER TABLE answers ADD COLUMN media_file_id TEXT;
ALTER TABLE issues ADD COLUMN media_file_id TEXT;
