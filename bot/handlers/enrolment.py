"""Joining: `/start CODE` from an invite, then consent before anything is asked.

People and carers are told who sees what before they say yes. Staff are welcomed with
every service they will hear from, worked out by the same storage functions that route
problems (`issue_staff`) and alerts (`alert_chain`), so the welcome cannot promise one
thing while the routing does another."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import Update

from carebot.bot.buttons import ConsentButton, one_per_row
from carebot.bot.context import Context, Runtime
from carebot.bot.handlers.common import answer_query, note, remove_buttons, reply, sender_of
from carebot.bot.handlers.declared import on_command, on_tap
from carebot.bot.handlers.scheduling import when
from carebot.bot.menu import set_menu
from carebot.conversations import schedule as schedules
from carebot.conversations.texts import text
from carebot.storage import checkins, directory
from carebot.storage.models import EventKind, Person, PersonStatus, Role, Service
from carebot.translations.catalogues import spoken_language
from carebot.translations.speaking import speak

NAMED_AT_MOST = 12  # services named in a welcome; past this, "and 3 more"


@on_command("start")
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
    if person is not None and person.admin_stopped_at is not None and not code:
        await reply(rt, update, text("start.paused"))  # paused, left, or service closed
        return
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
        telegram_language=spoken_language(user.language_code),
    )
    if person is None:
        await note(rt, update, EventKind.BAD_INVITE_CODE, detail=code[:32])
        await reply(rt, update, text("start.bad_code"))
        return
    await note(rt, update, EventKind.ENROLLED, person, detail=person.role.value)
    speak(person.language)  # the invite's language, if it named one
    await _ask_consent(update, rt, person)


async def _place(rt: Runtime, person: Person) -> str:
    """Who a member of staff works for: their organisation (a provider, a council), else
    the service they were invited through."""
    if person.organisation_id is not None:
        organisation = await directory.get_organisation(rt.db, person.organisation_id)
        if organisation is not None:
            return organisation.name
    if person.service_id is not None:
        service = await directory.get_service(rt.db, person.service_id)
        if service is not None:
            return service.name
    return "carebot"


async def _ask_consent(update: Update, rt: Runtime, person: Person) -> None:
    """People who draw on care and carers are told what they can do and who sees what;
    staff are told what they will be sent, in their role's words."""
    if person.role in (Role.PERSON, Role.CARER):
        words = await _ask_person(rt, person)
    else:
        words = text("consent.ask.staff", name=person.display_name,
                     role=text(f"role.{person.role}"), place=await _place(rt, person),
                     what=text(f"role_sends.{person.role}"))
    await reply(rt, update, words,
                reply_markup=one_per_row([(ConsentButton(True), text("consent.yes")),
                                          (ConsentButton(False), text("consent.no"))]))


async def _ask_person(rt: Runtime, person: Person) -> str:
    """What taking part means for a person or a carer, then who sees what they say."""
    service = (None if person.service_id is None
               else await directory.get_service(rt.db, person.service_id))
    place = service.name if service is not None else text("consent.your_care")
    provider = service.provider_name if service is not None else text("consent.your_provider")
    if person.easy_read:
        return text("easy.consent", name=person.display_name, service=place,
                    provider=provider, controller=rt.config.data_controller,
                    privacy_notice=rt.config.privacy_notice_url)
    opening = text("consent.ask.carer" if person.role is Role.CARER else "consent.ask",
                   name=person.display_name, service=place)
    who_sees = text("consent.who_sees", service=place, provider=provider,
                    controller=rt.config.data_controller,
                    privacy_notice=rt.config.privacy_notice_url)
    return f"{opening}\n\n{who_sees}"


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
        await reply(rt, update, await _start_schedule(rt, person))
    elif person.role is Role.CARER:
        service = (await directory.get_service(rt.db, person.service_id)
                   if person.service_id is not None else None)
        await reply(rt, update, text("consent.given.carer", name=person.display_name,
                                 service=service.name if service else
                                 text("consent.your_care")))
    else:
        await reply(rt, update, await staff_welcome(rt, person))


async def _start_schedule(rt: Runtime, person: Person) -> str:
    """Check-ins start after a yes: on a spread-out default slot the first time, on the
    person's own choice when they come back after /stop. Returns the promise of when the
    first one comes, made from the very moment stored as due."""
    earlier = await checkins.schedule_of(rt.db, person.id)
    weekday, window = ((earlier.weekday, earlier.time_window) if earlier
                       else default_slot(person.id))
    timezone = earlier.timezone if earlier is not None else rt.config.timezone
    due = schedules.first_due(rt.clock.now(), weekday=weekday, window=window,
                              timezone=timezone)
    if earlier is not None:
        await checkins.resume_schedule(rt.db, person.id, due)
    else:
        await checkins.set_schedule(rt.db, person_id=person.id, weekday=weekday,
                                    time_window=window, next_due_at=due, timezone=timezone)
    key = "consent.given.person_again" if earlier is not None else "consent.given.person"
    return text(key, name=person.display_name, when=when(due, rt))


@dataclass(frozen=True)
class Hearing:
    """The services a member of staff will hear from, as the routing decides."""

    problems: list[Service]      # new problems (`issue_staff`): providers, commissioners
    alerts_first: list[Service]  # alerts and requests to talk, first (duty contact)
    alerts_later: list[Service]  # alerts nobody acted on in time (backup, council's lead)


async def what_staff_hear(rt: Runtime, person: Person) -> Hearing:
    """Every service whose problems or alerts reach `person` (who has said yes): the
    services they work on, kept only where `issue_staff` or `alert_chain` names them."""
    candidates = {s.id: s for s in await directory.services_for_staff(rt.db, person)}
    organisation = (None if person.organisation_id is None
                    else await directory.get_organisation(rt.db, person.organisation_id))
    if organisation is not None and organisation.kind == "council":  # its lead, maybe
        candidates |= {s.id: s for s in await directory.services_of_council(rt.db,
                                                                            organisation.id)}
    problems, first, later = [], [], []
    for service in sorted(candidates.values(), key=lambda s: s.id):
        if person.id in {p.id for p in await directory.issue_staff(rt.db, service)}:
            problems.append(service)
        chain = [p.id if p is not None else None
                 for p in await directory.alert_chain(rt.db, service)]
        if chain and chain[0] == person.id:
            first.append(service)
        elif person.id in chain:
            later.append(service)
    return Hearing(problems, first, later)


def named(services: Sequence[Service]) -> str:
    """'Home Care North, Home Care South and Meadow View Day Centre'."""
    names = [s.name for s in services[:NAMED_AT_MOST]]
    if len(services) > NAMED_AT_MOST:
        names.append(text("list.more", count=len(services) - NAMED_AT_MOST))
    if len(names) == 1:
        return names[0]
    return text("list.and", most=", ".join(names[:-1]), last=names[-1])


async def staff_welcome(rt: Runtime, person: Person) -> str:
    """Thanks, and every service the person will hear from, in their role's words."""
    hearing = await what_staff_hear(rt, person)
    name, first, later = person.display_name, hearing.alerts_first, hearing.alerts_later
    if person.role is Role.DUTY_CONTACT:
        if first:
            words, first = text("consent.given.duty_contact", name=name,
                                services=named(first)), []
        elif later:
            words, later = text("consent.given.duty_contact.backup", name=name,
                                services=named(later)), []
        else:
            words = text("consent.given.duty_contact.none", name=name)
    elif person.role in (Role.PROVIDER, Role.COMMISSIONER) and hearing.problems:
        words = text(f"consent.given.{person.role}", name=name,
                     services=named(hearing.problems))
    elif person.role is Role.BOARD_MEMBER:
        words = text("consent.given.board_member", name=name)
    else:
        words = text("consent.given.staff", name=name)
    if first:
        words += "\n\n" + text("consent.alerts_first", services=named(first))
    if later:
        words += "\n\n" + text("consent.alerts_later", services=named(later))
    return words


def default_slot(person_id: int) -> tuple[int, str]:
    """A first weekday and window, spread over Monday–Friday mornings and afternoons so
    that a service's check-ins do not all go at once. People can change it later."""
    weekday = person_id % 5
    window = ("morning", "afternoon")[(person_id // 5) % 2]
    return weekday, window
