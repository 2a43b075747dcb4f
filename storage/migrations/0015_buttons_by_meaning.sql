-- 0015: a message's buttons kept as what they mean, not as Telegram's JSON (issue 28).
--
-- "The buttons for alert 17" (`buttons`: a kind, the record it is about, and its
-- options: storage/models.py, Buttons) is what a rule decides; the keyboard itself, with
-- its words, is built by the bot when the message is sent (bot/keyboards.py). So the
-- rules that queue a message need no Telegram types, and a button's words can be in the
-- reader's language. `reply_markup` stays for what handlers build on the spot, and for
-- rows queued before this migration.
ALTER TABLE outbox ADD COLUMN buttons TEXT;
