"""Keeping a running carebot healthy and recoverable: its own state (`Operations`), the
health and metrics endpoint, the nightly backup and the journal of messages sent since,
and taking old words away on time. Nothing here speaks to Telegram or decides anything
about care; the bot runs these from its periodic job and its start and stop."""
