"""The Telegram side of carebot: handlers, jobs, the outbox sender, the emulator, the demo."""

import os

# python-telegram-bot 22 gives Telegram's waiting times as datetime.timedelta when asked;
# the rate limiter and outbox sender handle that form, and asking avoids a deprecation.
os.environ.setdefault("PTB_TIMEDELTA", "1")
