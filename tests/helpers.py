"""Shared helpers for the tests: a small world of council, provider, service and people."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from carebot.bot.buttons import (
    AckButton,
    ActionButton,
    ActionPageButton,
    AnswerButton,
    CallbackButton,
    ConsentButton,
    DigestButton,
    DigestDayButton,
    DraftButton,
    EasyReadButton,
    ForgetButton,
    IssueButton,
    IssueOkButton,
    IssuesPageButton,
    KindButton,
    LanguageButton,
    MessageThemButton,
    NoticesButton,
    PauseButton,
    ReadButton,
    ReadPageButton,
    ReleaseButton,
    SafetyTalkButton,
    ScheduleButton,
)
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.storage import directory, issues, read_list
from carebot.storage.db import Database
from carebot.storage.models import Person, Role

# At least one button of every kind (tests/bot/test_buttons.py checks none is missing).
BUTTON_EXAMPLES: tuple[CallbackButton, ...] = (
    AnswerButton(12, 3, "very_good"), AnswerButton(1, 0, "h_family"),
    ConsentButton(True), ConsentButton(False),
    KindButton(7, "compliment"),
    ScheduleButton("weekly"), ScheduleButton("monthly", 6),
    ScheduleButton("fortnightly", 0, "evening"),
    PauseButton(0), PauseButton(28),
    AckButton(99), MessageThemButton(99), ReleaseButton(99),
    ForgetButton(True), ForgetButton(False),
    IssueButton(1, "seen"), IssueButton(1, "resolve"), IssuesPageButton(5),
    IssueOkButton(1, True), IssueOkButton(1, False),
    DraftButton("send"), DraftButton("cancel"), NoticesButton("daily"),
    ActionButton(1), ActionButton(1, "punctuality"), ActionButton(1, "other"),
    ActionPageButton(0), ActionPageButton(140),
    DigestButton("this_week"), DigestButton("four_weeks"), DigestDayButton(),
    DigestDayButton(4),
    ReadButton(1, "read"), ReadButton(1, "concern"), ReadButton(1, "not_concern"),
    ReadPageButton(1), ReadPageButton(1, 2, 3, 4, 5),
    SafetyTalkButton(3, True), SafetyTalkButton(3, False),
    LanguageButton("cy"), EasyReadButton(True), EasyReadButton(False),
)

# The checkout, and ../shared beside it (as CI has it).
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@dataclass(frozen=True)
class World:
    council_id: int
    provider_id: int
    service_id: int
    service_name: str


async def small_world(db: Database, now: datetime) -> World:
    council = await directory.add_organisation(db, "council", "Testshire Council", now)
    provider = await directory.add_organisation(db, "provider", "Sunrise Care", now)
    service = await directory.add_service(db, council_id=council.id, provider_id=provider.id,
                                          name="Home Care East", kind="home care", now=now)
    return World(council.id, provider.id, service.id, service.name)


async def joined(db: Database, world: World, now: datetime, *, telegram_user_id: int,
                 role: Role = Role.CARER, name: str = "Jo") -> Person:
    """Someone enrolled straight through storage, for tests with no bot running."""
    code = await directory.create_invite(db, role=role, now=now, service_id=world.service_id)
    person = await directory.enrol_from_invite(db, code=code, telegram_user_id=telegram_user_id,
                                               chat_id=telegram_user_id, fallback_name=name,
                                               now=now)
    assert person is not None
    return person


async def message_on_list(db: Database, person: Person, service_id: int, at: datetime,
                          read_at: datetime | None = None,
                          words: str = "The carer was late again") -> int:
    """A message raised at `at` (on the read list by the database), read at `read_at`;
    its read-list item."""
    issue = await issues.raise_issue(db, raised_by_id=person.id, service_id=service_id,
                                     text=words, now=at)
    item = await read_list.item_of_issue(db, issue.id)
    assert item is not None
    if read_at is not None:
        await read_list.judge(db, [item], reader_id=person.id,
                              judgement=read_list.Judgement.NO_CONCERN, now=read_at)
    return item


async def enrol(local: LocalBot, world: World, user_id: int, name: str,
                role: Role = Role.PERSON, agree: bool = True) -> SimulatedPerson:
    """Invite, `/start CODE`, and tap Yes (or No) to consent, as a person would."""
    rt = local.runtime
    at_council = role in (Role.COMMISSIONER, Role.BOARD_MEMBER)
    code = await directory.create_invite(
        rt.db, role=role, now=rt.clock.now(), display_name=name,
        service_id=None if at_council else world.service_id,
        organisation_id=world.council_id if at_council else None,
    )
    person = local.person(user_id, name)
    person.send_command("start", code)
    await person.wait_for_messages(1)
    person.press_label("Yes" if agree else "No")
    await local.settle()
    return person


async def tap_through_checkin(local: LocalBot, person: SimulatedPerson, *labels: str) -> None:
    """`/checkin`, then tap each label in turn, letting the bot answer after each."""
    person.send_command("checkin")
    await local.settle()
    for label in labels:
        person.press_label(label)
        await local.settle()


def buttons_data(person: SimulatedPerson) -> list[str]:
    return [b["callback_data"] for b in person.last.buttons()]


# A plan line reading one of these whole (rather than searching an index for what is due,
# or for one service and period) would grow with every week of history.
_HISTORY = re.compile(r"^SCAN (answers|checkins|tags|alerts|alert_updates|issues|"
                      r"issue_updates|outbox|events|digests|edits|a|c|t|i|o)\b")


async def plans_reading_history(db: Database, statements: list[str]) -> list[tuple[str, list[str]]]:
    """Each SELECT, UPDATE or DELETE of `statements` (heard with `db.trace`) whose plan
    on `db` reads a table of history whole, with that plan."""
    found = []
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH", "UPDATE", "DELETE")):
            continue
        plan = [str(row[3]) for row in await db.fetchall(f"EXPLAIN QUERY PLAN {sql}")]
        if any(_HISTORY.match(line) for line in plan):
            found.append((sql, plan))
    return found


def free_port() -> int:
    """A TCP port nobody on this machine is listening on, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def person_who_wrote(local: LocalBot, world: World, user_id: int) -> SimulatedPerson:
    """Sam, enrolled, with a check-in answered (words typed with one answer, naming a
    carer) and a message sent: words to show, forget or let go."""
    sam = await enrol(local, world, user_id, "Sam")
    await tap_through_checkin(local, sam, "Start", "Good", "Mostly", "Mostly")
    sam.send_text("My carer Janet is always late on Fridays.")
    await local.settle()
    sam.press_label("No thanks")
    await local.settle()
    sam.send_text("Please send the rota earlier.")
    await local.settle()
    return sam


async def until(condition: Callable[[], object], timeout: float = 30) -> None:
    """Wait for `condition()` to hold, checking every 20 ms: for what happens in another
    process (a bot started with `carebot run`), which no event here announces."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError("it did not happen in time")
        await asyncio.sleep(0.02)
