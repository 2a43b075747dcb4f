"""The care workflow: what happens to an alert, an issue and its news as time passes and
people act. Each step applies the rules in care/ to what storage holds and queues the
messages it causes, with buttons as what they mean; it speaks no Telegram (the bot sends
what is queued). Given settings, the database and the clock (`given.Given`)."""
