"""Joining: `/start CODE` from an invite, then consent before anything is asked."""

from __future__ import annotations

from telegram import Update

from bot.buttons import ConsentButton, one_per_row
from bot.context import Context, Runtime
from bot.handlers.common import (
    answer_query,
    note,
    on_tap,
    remove_buttons,
    reply,
    sender_of,
)
from bot.menu import set_menu
from conversations import schedule as schedules
from conversations.texts import TEXTS, text
from storage import checkins, directory
from storage.models import EventKind, Person, PersonStatus, Role

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


async def start(update: Update, context: Context) -> None:
    rt = context.runtime
    user = update.effective_user
    if user is None or update.effective_chat is None:
        return
    person = await sender_of(update, rt)
    if person is not None and person.status is PersonStatus.AWAITING_CONSENT:
        await _ask_consent(update, rt, person)
        return
    code = context.args[0] if context.args else ""
    coming_back = person is not None and person.status in (PersonStatus.DECLINED,
                                                          PersonStatus.STOPPED)
    if person is not None and coming_back and not code:
        # Back after saying no, or after /stop: ask again, as on the first day.
        await directory.set_person_status(rt.db, person.id, PersonStatus.AWAITING_CONSENT,
                                          rt.clock.now())
        await note(rt, update, EventKind.CAME_BACK, person)
        await reply(rt, update, text("start.welcome_back", name=person.display_name))
        await _ask_consent(update, rt, person)
        return
    if person is not None and not coming_back:
        await reply(rt, update, text("start.already", name=person.display_name))
        return
    if not code:
        await reply(rt, update, text("start.no_code"))
        return
    person = await directory.enrol_from_invite(
        rt.db, code=code[:32], telegram_user_id=user.id, chat_id=update.effective_chat.id,
        fallback_name=user.first_name, now=rt.clock.now(),
    )
    if person is None:
        await note(rt, update, EventKind.BAD_INVITE_CODE, detail=code[:32])
        await reply(rt, update, text("start.bad_code"))
        return
    await note(rt, update, EventKind.ENROLLED, person, detail=person.role.value)
    await _ask_consent(update, rt, person)


async def _place(rt: Runtime, person: Person) -> str:
    """Where someone belongs, as they would name it: their service, else organisation."""
    if person.service_id is not None:
        service = await directory.get_service(rt.db, person.service_id)
        if service is not None:
            return service.name
    if person.organisation_id is not None:
        organisation = await directory.get_organisation(rt.db, person.organisation_id)
        if organisation is not None:
            return organisation.name
    return "carebot"


async def _ask_consent(update: Update, rt: Runtime, person: Person) -> None:
    """People who draw on care and carers are asked about their care; staff are told
    what they will be sent, in their role's words."""
    if person.role in (Role.PERSON, Role.CARER):
        place = await _place(rt, person) if person.service_id is not None else "your care"
        words = text("consent.ask", name=person.display_name, service=place)
    else:
        words = text("consent.ask.staff", name=person.display_name,
                     role=text(f"role.{person.role}"), place=await _place(rt, person),
                     what=text(f"role_sends.{person.role}"))
    await reply(rt, update, words,
                reply_markup=one_per_row([(ConsentButton(True), text("consent.yes")),
                                          (ConsentButton(False), text("consent.no"))]))


@on_tap(ConsentButton)
async def consent_tap(update: Update, context: Context, tap: ConsentButton) -> None:
    rt = context.runtime
    person = await sender_of(update, rt)
    if person is None or person.status is not PersonStatus.AWAITING_CONSENT:
        await answer_query(update, text("odd.unknown_button"))
        return
    await answer_query(update)
    await remove_buttons(update)
    now = rt.clock.now()
    if not tap.agreed:
        await directory.set_person_status(rt.db, person.id, PersonStatus.DECLINED, now)
        await note(rt, update, EventKind.CONSENT_DECLINED, person)
        await reply(rt, update, text("consent.declined"))
        return
    await directory.set_person_status(rt.db, person.id, PersonStatus.ACTIVE, now)
    await note(rt, update, EventKind.CONSENT_GIVEN, person)
    if update.effective_chat is not None:
        await set_menu(context.bot, update.effective_chat.id, person.role)
    if person.role is Role.PERSON:
        weekday, window = await _start_schedule(rt, person)
        await reply(rt, update, text("consent.given.person", name=person.display_name,
                                 day=DAY_NAMES[weekday], window=window))
    elif person.role is Role.CARER:
        service = (await directory.get_service(rt.db, person.service_id)
                   if person.service_id is not None else None)
        await reply(rt, update, text("consent.given.carer", name=person.display_name,
                                 service=service.name if service else ""))
    else:
        await reply(rt, update, text(f"consent.given.{person.role}", name=person.display_name)
                    if f"consent.given.{person.role}" in TEXTS
                    else text("consent.given.staff", name=person.display_name))


async def _start_schedule(rt: Runtime, person: Person) -> tuple[int, str]:
    """Check-ins start after a yes: on a spread-out default slot the first time, on the
    person's own choice when they come back after /stop. Returns (weekday, window)."""
    earlier = await checkins.schedule_of(rt.db, person.id)
    weekday, window = ((earlier.weekday, earlier.time_window) if earlier
                       else default_slot(person.id))
    due = schedules.first_due(rt.clock.now(), weekday=weekday, window=window,
                              timezone=rt.config.timezone)
    if earlier is not None:
        await checkins.resume_schedule(rt.db, person.id, due)
    else:
        await checkins.set_schedule(rt.db, person_id=person.id, weekday=weekday,
                                    time_window=window, next_due_at=due,
                                    timezone=rt.config.timezone)
    return weekday, window


def default_slot(person_id: int) -> tuple[int, str]:
    """A first weekday and window, spread over Monday–Friday mornings and afternoons so
    that a service's check-ins do not all go at once. People can change it later."""
    weekday = person_id % 5
    window = ("morning", "afternoon")[(person_id // 5) % 2]
    return weekday, window
