"""The rules of care, as plain functions and tables: where an issue can move and who hears
of it, who an alert goes to and how long each waits, and which counts are too small to
show. No database, no Telegram, no texts: storage, the bot and the reports all apply the
same rule from here, and the tests can check each rule on its own."""
