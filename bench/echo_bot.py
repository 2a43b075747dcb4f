"""The baseline bot: python-telegram-bot's own echo example, with nothing of carebot's,
pointed at the emulator by CAREBOT_TOKEN and CAREBOT_BASE_URL."""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


def main() -> None:
    root = os.environ["CAREBOT_BASE_URL"].removesuffix("/bot")
    app = (Application.builder().token(os.environ["CAREBOT_TOKEN"])
           .base_url(f"{root}/bot").base_file_url(f"{root}/file/bot").build())
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.run_polling()


if __name__ == "__main__":
    main()
