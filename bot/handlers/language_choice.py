"""Which language carebot speaks to whom, and easy read.

Before any handler runs, `speak_as_sender` sets the language of the person who sent the
update (their choice, else their Telegram app's language when carebot speaks it), so
every reply is in it. A message built for someone else is built inside
`speaking(their language)` (translations/speaking.py)."""

from __future__ import annotations

from telegram import Update

from carebot.bot.buttons import EasyReadButton, LanguageButton, one_per_row
from carebot.bot.context import Context
from carebot.bot.handlers.common import answer_query, forged, reply
from carebot.bot.handlers.declared import on_person_command, on_person_tap
from carebot.bot.menu import set_menu
from carebot.care.languages import own_name
from carebot.conversations.texts import text
from carebot.storage import directory
from carebot.storage.models import Person
from carebot.translations.catalogues import spoken_language, spoken_languages
from carebot.translations.speaking import speak


async def speak_as_sender(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        speak(None)
        return
    chosen = await directory.language_of_user(context.runtime.db, user.id)
    speak(chosen or spoken_language(user.language_code))


@on_person_command("language")
async def language_command(update: Update, context: Context, person: Person) -> None:
    choices = [(LanguageButton(code), own_name(code)) for code in spoken_languages()]
    await reply(context.runtime, update, text("language.ask"), reply_markup=one_per_row(choices))


@on_person_tap(LanguageButton)
async def language_tap(update: Update, context: Context, button: LanguageButton,
                       person: Person) -> None:
    rt = context.runtime
    if button.code not in spoken_languages():
        await forged(update, context, person, f"language {button.code}")
        return
    await directory.set_language(rt.db, person.id, button.code)
    speak(button.code)
    await answer_query(update)
    if person.chat_id is not None:
        await set_menu(context.bot, person.chat_id, person.role)
    await reply(rt, update, text("language.set"))


@on_person_command("easyread")
async def easy_read_command(update: Update, context: Context, person: Person) -> None:
    choices = [(EasyReadButton(True), text("consent.yes")),
               (EasyReadButton(False), text("easy.choice.no"))]
    await reply(context.runtime, update, text("easy.setting"), reply_markup=one_per_row(choices))


@on_person_tap(EasyReadButton)
async def easy_read_tap(update: Update, context: Context, button: EasyReadButton,
                        person: Person) -> None:
    await directory.set_easy_read(context.runtime.db, person.id, button.wanted)
    await answer_query(update)
    await reply(context.runtime, update, text("easy.on" if button.wanted else "easy.off"))
