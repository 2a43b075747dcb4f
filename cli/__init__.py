"""The `carebot` command, and the composition root: the one place that picks settings, and
hands them to the bot, the reports, the demo or the tagger's lab."""
