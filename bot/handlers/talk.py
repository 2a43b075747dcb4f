"""Asking to talk to a person: record it, tell the service's contact, tell the person."""

from __future__ import annotations

from telegram import Update

from bot.handlers.common import Context, note, reply, usable_person
from bot.runtime import runtime_of
from conversations.texts import text
from storage import directory, outbox
from storage.models import Person, PersonStatus


async def request_talk(update: Update, context: Context, person: Person) -> None:
    rt = runtime_of(context)
    await note(rt, update, "talk_request", person)
    service = (await directory.get_service(rt.db, person.service_id)
               if person.service_id is not None else None)
    if service is not None and service.duty_contact_id is not None:
        contact = await directory.get_person(rt.db, service.duty_contact_id)
        if contact is not None and contact.chat_id is not None \
                and contact.status is PersonStatus.ACTIVE:
            await outbox.enqueue(
                rt.db, chat_id=contact.chat_id, person_id=contact.id, purpose="talk_request",
                now=rt.clock.now(),
                text=text("talk.staff_notice", name=person.display_name, service=service.name),
            )
    await reply(update, text("talk.done", service=service.name if service else "your service"))


async def talk_command(update: Update, context: Context) -> None:
    person = await usable_person(update, context)
    if person is not None:
        await request_talk(update, context, person)
