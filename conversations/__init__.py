"""The dialogue, without Telegram: what a check-in asks and in what order, what an answer
means, when check-ins fall due, and every text the bot says."""
