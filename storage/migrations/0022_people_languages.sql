-- Each person's language (an ISO 639-1 code carebot speaks, or NULL: the first guess,
-- from Telegram or the invite, has not been made) and whether they want easy-read
-- check-ins; an invite can set both before the person joins.
ALTER TABLE people ADD COLUMN language TEXT;
ALTER TABLE people ADD COLUMN easy_read INTEGER NOT NULL DEFAULT 0 CHECK (easy_read IN (0, 1));
ALTER TABLE invites ADD COLUMN easy_read INTEGER NOT NULL DEFAULT 0 CHECK (easy_read IN (0, 1));
-- The outbox sender finds whose chat a message is for, to speak their language.
CREATE INDEX people_by_chat ON people (chat_id);
-- The language a person's words were written in, when not English (NULL: English):
-- such words are read by a person, labelled, and get no English sentiment or themes.
ALTER TABLE answers ADD COLUMN language TEXT;
-- What an answer sent with no words was ("voice"), for the reader's "They sent a voice note".
ALTER TABLE answers ADD COLUMN media_kinds TEXT;
ALTER TABLE issues ADD COLUMN language TEXT;
