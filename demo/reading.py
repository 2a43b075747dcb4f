"""The demo's read list being read, as staff would in Telegram (issue 29): each weekday
morning the provider manager reads what people sent to Sunrise's services, the most
worrying first, and the duty team reads what is left in the afternoon. In the second
week a carer writes a worry in words no cue foresaw; the provider finds it, raises it as
a safeguarding concern, and it goes to the duty team like any alert. A person who said
they do not often feel safe asks for someone to get in touch."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from carebot.bot.buttons import ReadButton, SafetyTalkButton
from carebot.conversations.texts import plural, text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.emulator.server import BotMessage

LONDON = ZoneInfo("Europe/London")
PROVIDER_READS = time(11, 30)  # after the morning's check-ins
DUTY_READS = time(16, 0)
# A carer's worry, said plainly but in no words the tagger looks for, and when it comes.
QUIET_WORRY = ("Dad wants me there every time the new carer comes now. He never used to "
               "mind.")
QUIET_WORRY_AT = datetime(2026, 11, 11, 17, 0, tzinfo=LONDON)
READER_NOTE = ("He may be afraid of the new carer. Please visit him on his own today and "
               "ask him how the visits are going.")
SAFETY_CALL_AT = datetime(2026, 11, 12, 10, 30, tzinfo=LONDON)
MOST_PAGES = 60  # a reader stops after this many pages in one sitting


def say(line: str) -> None:
    print(line, flush=True)


# The days each reads (Monday is 0): the provider after Wednesday's and Friday's
# check-ins, and on Thursday; the duty team on Mondays and Fridays. What waits longer
# than a day meanwhile is passed on to the duty team, as it would be.
PROVIDER_DAYS = (2, 3, 4)
DUTY_DAYS = (0, 4)


def reading_moments(week_start: datetime) -> set[datetime]:
    """When staff read the list in a week."""
    return {moment for days, at in ((PROVIDER_DAYS, PROVIDER_READS), (DUTY_DAYS, DUTY_READS))
            for d in days
            if (moment := datetime.combine((week_start + timedelta(days=d)).date(), at,
                                           LONDON)) >= week_start}


def _page_items(messages: list[BotMessage]) -> list[BotMessage]:
    """The messages of a page of /read that show an item (with its buttons)."""
    return [m for m in messages
            if any(ReadButton.unpack(str(b.get("callback_data", ""))) for b in m.buttons())]


async def _raise_concern(local: LocalBot, reader: SimulatedPerson, item: BotMessage) -> None:
    reader.press_label(text("read.button.concern"), item)
    await local.settle()
    reader.send_text(READER_NOTE)
    await local.settle()
    reader.press_label(text("draft.send"))
    await local.settle()


async def reads_the_list(local: LocalBot, reader: SimulatedPerson) -> tuple[int, int]:
    """/read, page by page, until nothing waits: the scripted worry is raised as a
    concern, every page marked read. How many items were read, and concerns raised."""
    read = raised = 0
    for _ in range(MOST_PAGES):
        before = len(reader.inbox)
        reader.send_command("read")
        await local.settle()
        page = reader.inbox[before:]
        items = _page_items(page)
        if not items:
            break
        for item in items:
            labels = {b["text"] for b in item.buttons()}
            if QUIET_WORRY in (item.text or ""):
                await _raise_concern(local, reader, item)
                raised += 1
            elif (text("read.button.not_concern") in labels
                  or text("read.safety", answer="").split(":")[0] in (item.text or "")):
                # Flagged, or a worrying answer: each is decided on its own. Here the
                # reader has seen the alert it raised, or will ring the person.
                reader.press_label(text("read.button.read"), item)
                await local.settle()
        if page[-1].buttons():
            reader.press_label(text("read.button.page"), page[-1])
            await local.settle()
        read += len(items)
        more = tuple(plural("read.more", n).split(str(n))[0] for n in (1, 2))
        if not (page[-1].text or "").startswith(more):
            break  # that was the last page
    return read, raised


async def staff_read(local: LocalBot, reader: SimulatedPerson, who: str,
                     moment: datetime) -> None:
    read, raised = await reads_the_list(local, reader)
    if not read:
        return
    line = (f"{moment:%a %d %b %H:%M}: {who} read what people sent ({read}), the most "
            "worrying first")
    if raised:
        line += (f"; one was a worry the tagger had not flagged (\"{QUIET_WORRY}\"), which "
                 "they raised as a safeguarding concern: it went to the duty team as an alert")
    say(line + ".")


async def carer_writes_quietly(local: LocalBot, carer: SimulatedPerson) -> None:
    carer.send_text(QUIET_WORRY)
    await local.settle()
    if carer.last.text == text("feedback.kind"):
        carer.press_label("A problem")
        await local.settle()
    say(f"{QUIET_WORRY_AT:%a %d %b %H:%M}: a carer wrote: \"{QUIET_WORRY}\"")


async def someone_asks_for_a_call(local: LocalBot, people: list[SimulatedPerson]) -> None:
    """The first person still asked whether they want someone to get in touch, after
    saying they do not often feel safe, says yes."""
    for person in people:
        for message in reversed(person.inbox):
            buttons = [SafetyTalkButton.unpack(str(b.get("callback_data", "")))
                       for b in message.buttons()]
            if any(buttons):
                person.press_label(text("safety.button.yes"), message)
                await local.settle()
                say(f"{SAFETY_CALL_AT:%a %d %b %H:%M}: {person.user['first_name']}, who had "
                    "answered that they do not often feel safe, was asked whether they "
                    "wanted someone to get in touch, and said yes: the duty team was asked.")
                return
