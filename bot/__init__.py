"""The Telegram adapter: `build_application`, handlers, buttons, the periodic job, the
outbox sender and the rate limiter. It turns updates into calls on the packages below it."""

import os

# python-telegram-bot 22 gives Telegram's waiting times as datetime.timedelta when asked;
# the rate limiter and outbox sender handle that form, and asking avoids a deprecation.
os.environ.setdefault("PTB_TIMEDELTA", "1")
