"""`/help` for each role, and asking to talk to a person: record it, tell the service's
duty contact at once, tell the person. Only people and carers may ask (bot/menu.py): a
request from staff would raise an alert about themselves that climbs to the council's
safeguarding lead."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from telegram import Update

from carebot.bot.context import Context
from carebot.bot.handlers.common import note, reply, sender_of, usable_person
from carebot.bot.handlers.declared import on_command
from carebot.bot.menu import may_use
from carebot.bot.outbox_sender import send_pending
from carebot.care.references import alert_reference
from carebot.conversations.texts import text
from carebot.storage import alerts, directory
from carebot.storage.models import AlertKind, EventKind, Person, Role
from carebot.workflow.alert_chain import raise_and_send

log = logging.getLogger(__name__)

_HELP = {Role.PERSON: "help.person", Role.CARER: "help.carer",
         Role.COMMISSIONER: "help.commissioner", Role.PROVIDER: "help.provider",
         Role.DUTY_CONTACT: "help.duty_contact", Role.BOARD_MEMBER: "help.board_member"}


def help_key(role: Role) -> str:
    return _HELP.get(role, "help.staff")


@on_command("help")
async def help_command(update: Update, context: Context) -> None:
    person = await sender_of(update, context.runtime)
    if person is None:
        await reply(context.runtime, update, text("start.no_code"))
        return
    await reply(context.runtime, update, text(help_key(person.role)))


async def request_talk(update: Update, context: Context, person: Person,
                       why: str | None = None) -> None:
    """Record the request as an alert of its own kind: it goes to the service's duty
    contact at once, with the same buttons, and up the same chain if nobody acts. Staff
    are told what they can do instead, and nothing is raised. `why`: what led to it,
    shown to the duty contact (a worrying answer, bot/handlers/checkin_chat.py)."""
    rt = context.runtime
    if not may_use(person.role, "talk"):
        await note(rt, update, EventKind.NOT_AUTHORISED, person, detail="/talk")
        await reply(rt, update, text("talk.staff", help=text(help_key(person.role))))
        return
    await note(rt, update, EventKind.TALK_REQUEST, person)
    service = (await directory.get_service(rt.db, person.service_id)
               if person.service_id is not None else None)
    if service is None:
        log.warning("talk request from person %s: no service to tell", person.id)
        await reply(rt, update, text("talk.no_service"))
        return
    now = rt.clock.now()
    local = now.astimezone(ZoneInfo(rt.config.timezone))
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    # One request a day however often they ask (a tap can be repeated in worry).
    if await alerts.open_talk_request(rt.db, person.id, today):
        await reply(rt, update, text("talk.already", service=service.name))
        return
    alert_id, told = await raise_and_send(
        rt, service, alerts.NewAlert(service.id, person.id, "concern", why,
                                     kind=AlertKind.TALK), None)
    if told is None:
        # Never promise a call back nobody will make; the request waits for someone.
        log.error("talk request %s from person %s: nobody at service %s can be reached",
                  alert_reference(alert_id), person.id, service.id)
        await reply(rt, update, text("talk.no_contact", service=service.name))
        return
    await send_pending(context.bot, rt)  # now, not at the next tick
    await reply(rt, update, text("talk.done", service=service.name))


@on_command("talk")
async def talk_command(update: Update, context: Context) -> None:
    person = await usable_person(update, context)
    if person is not None:
        await request_talk(update, context, person)
