"""Reports from stored answers and tags: the figures, privacy (suppression of small
groups), HTML and CSV, and when weekly digests are due. Takes a database and settings,
never a Telegram bot."""
