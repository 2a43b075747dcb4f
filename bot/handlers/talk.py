"""Asking to talk to a person: record it, tell the service's contact, tell the person."""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import runtime_of
from bot.handlers.common import Context, note, reply, usable_person
from bot.outbox_sender import send_pending
from conversations.texts import text
from storage import directory, outbox
from storage.models import Person

log = logging.getLogger(__name__)


async def request_talk(update: Update, context: Context, person: Person) -> None:
    rt = runtime_of(context)
    await note(rt, update, "talk_request", person)
    service = (await directory.get_service(rt.db, person.service_id)
               if person.service_id is not None else None)
    contact = await directory.reachable_duty_contact(rt.db, service) if service else None
    if service is None or contact is None or contact.chat_id is None:
        # Never promise a call back nobody will make; the request is kept as an event.
        log.warning("talk request from person %s: no duty contact to tell", person.id)
        await reply(update, text("talk.no_contact", service=service.name) if service
                    else text("talk.no_service"))
        return
    await outbox.enqueue(
        rt.db, chat_id=contact.chat_id, person_id=contact.id, purpose="talk_request",
        now=rt.clock.now(),
        text=text("talk.staff_notice", name=person.display_name, service=service.name),
    )
    await send_pending(context.bot, rt)  # now, not at the next tick
    await reply(update, text("talk.done", service=service.name))


async def talk_command(update: Update, context: Context) -> None:
    person = await usable_person(update, context)
    if person is not None:
        await request_talk(update, context, person)
