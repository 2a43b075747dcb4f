"""`/help` for each role, and asking to talk to a person: record it, tell the service's
duty contact at once, tell the person."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from telegram import Update

from bot.context import Context
from bot.handlers.common import note, reply, sender_of, usable_person
from bot.outbox_sender import send_pending
from conversations.texts import text
from storage import directory, outbox
from storage.models import EventKind, Person, Purpose, Role

log = logging.getLogger(__name__)

_HELP = {Role.PERSON: "help.person", Role.CARER: "help.carer",
         Role.COMMISSIONER: "help.commissioner", Role.PROVIDER: "help.provider",
         Role.DUTY_CONTACT: "help.duty_contact"}


def help_key(role: Role) -> str:
    return _HELP.get(role, "help.staff")


async def help_command(update: Update, context: Context) -> None:
    person = await sender_of(update, context.runtime)
    if person is None:
        await reply(context.runtime, update, text("start.no_code"))
        return
    await reply(context.runtime, update, text(help_key(person.role)))


async def request_talk(update: Update, context: Context, person: Person) -> None:
    rt = context.runtime
    await note(rt, update, EventKind.TALK_REQUEST, person)
    service = (await directory.get_service(rt.db, person.service_id)
               if person.service_id is not None else None)
    contact = await directory.reachable_duty_contact(rt.db, service) if service else None
    if service is None or contact is None or contact.chat_id is None:
        # Never promise a call back nobody will make; the request is kept as an event.
        log.warning("talk request from person %s: no duty contact to tell", person.id)
        await reply(rt, update, text("talk.no_contact", service=service.name) if service
                    else text("talk.no_service"))
        return
    notice = text("talk.staff_notice", name=person.display_name, service=service.name)
    now = rt.clock.now()
    # One notice a day however often they ask (a tap can be repeated in worry).
    once_a_day = f"talk:{person.id}:{now.astimezone(ZoneInfo(rt.config.timezone)):%Y-%m-%d}"
    queued = await outbox.enqueue(rt.db, outbox.NewMessage(
        contact.chat_id, Purpose.TALK_REQUEST, person_id=contact.id, text=notice,
        dedupe_key=once_a_day), now)
    if queued is None:
        await reply(rt, update, text("talk.already", service=service.name))
        return
    await send_pending(context.bot, rt)  # now, not at the next tick
    await reply(rt, update, text("talk.done", service=service.name))


async def talk_command(update: Update, context: Context) -> None:
    person = await usable_person(update, context)
    if person is not None:
        await request_talk(update, context, person)
