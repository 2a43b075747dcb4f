"""`carebot demo` runs the whole loop offline over three weeks and leaves real digests,
a provider's pack and a transcript of every chat on disk. The weeks are run once for all
the tests here (and once more for each test that says so)."""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import json
import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path

import pytest
import pytest_asyncio
from pypdf import PdfReader

from carebot.conversations.schedule import WINDOWS
from carebot.conversations.texts import text
from carebot.demo.folder import MARKER
from carebot.demo.reading import QUIET_WORRY, READER_NOTE
from carebot.demo.run import EASY_READ, LANGUAGE_OF, run_demo
from carebot.reports.tidy_csv import COLUMNS
from carebot.translations.speaking import speaking

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]


@dataclass(frozen=True)
class DemoWeek:
    html_path: Path
    out: str
    transcript: str
    written: dict[str, str]  # what a reader reads in each file, as the run left it


# Differs from run to run: each invite's code is random (storage/directory.py).
_INVITE_CODE = re.compile(r"^> /start [A-Z0-9]{8}$", re.MULTILINE)


def _written(folder: Path) -> dict[str, str]:
    """The words of each file the demo writes for a reader: the transcript, each digest
    (HTML and CSV) and the pack's text (the PDF file itself is dated by the wall clock),
    with what differs from run to run by design masked."""
    found = {p.name: p.read_text(encoding="utf-8")
             for p in sorted(folder.glob("*")) if p.suffix in {".md", ".html", ".csv"}}
    for pdf in sorted(folder.glob("*.pdf")):
        found[pdf.name] = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    found["transcript.md"] = _INVITE_CODE.sub("> /start CODE", found["transcript.md"])
    return found


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def week(tmp_path_factory: pytest.TempPathFactory) -> DemoWeek:
    folder = tmp_path_factory.mktemp("demo") / "demo"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        html_path = await run_demo(folder)
    return DemoWeek(html_path, printed.getvalue(),
                    (folder / "transcript.md").read_text(encoding="utf-8"), _written(folder))


def _chat(week: DemoWeek, title: str) -> str:
    return week.transcript.split(f"## {title}\n")[1].split("\n## ")[0]


# In the transcript: "**Mon 02 Nov 10:00, carebot**" then the message, each line "> ...".
_MESSAGE = re.compile(r"^\*\*(\w{3}) (\d{2}) (\w{3}) (\d{2}):(\d{2}), (.+?)\*\*\n\n((?:>.*\n?)+)",
                      re.MULTILINE)
_PROMISE = re.compile(r"I will send your (?:first|next) check-in on (\w+) (\d+) (\w+), "
                      r"in the (morning|afternoon|evening)")
_HELLO = "It is time for your check-in"


def _kept_promises(chat: str) -> tuple[int, list[str]]:
    """Each check-in that came after the bot said when it would: (how many came as
    promised, what came otherwise). The newest promise before a check-in is the one
    that counts (the person may have chosen another time since)."""
    kept, broken, promise = 0, [], None
    for found in _MESSAGE.finditer(chat):
        weekday, day, month, hour, minute, who, words = found.groups()
        if who != "carebot":
            continue
        if said := _PROMISE.search(words):
            promise = said.groups()
        elif _HELLO in words and promise is not None:
            p_weekday, p_day, p_month, part = promise
            opens, closes = WINDOWS[part]
            came = time(int(hour), int(minute))
            if ((weekday, int(day), month) == (p_weekday[:3], int(p_day), p_month[:3])
                    and opens <= came <= closes):
                kept += 1
            else:
                broken.append(f"promised {' '.join(promise)}, came {found[0].splitlines()[0]}")
            promise = None
    return kept, broken


async def test_demo_week_ends_in_a_digest(week: DemoWeek) -> None:
    assert week.out.strip().splitlines()[-1] == f"Digest written to {week.html_path}"
    assert "Telegram flood-limit breaches: 0. Calls Telegram would refuse: 0." in week.out
    page = week.html_path.read_text(encoding="utf-8")
    for service in ("Home Care North", "Home Care South", "Meadow View Day Centre"):
        assert service in page
    raw = week.html_path.with_suffix(".csv").read_text(encoding="utf-8")
    assert raw.startswith(f"\ufeff{','.join(COLUMNS)}\n")
    rows = [r for r in csv.DictReader(io.StringIO(raw.removeprefix("\ufeff")))
            if r["week_start"] == "2026-11-16"]
    sent = sum(int(r["value"]) for r in rows if (r["measure"], r["category"]) == (
        "checkins", "sent"))
    assert sent == 30
    # Home Care South's people were mostly unhappy until its action: its digests say so.
    negative = dict.fromkeys(("Home Care South", "Home Care North"), 0)
    for digest in week.html_path.parent.glob("digest-1-*.csv"):
        for r in csv.DictReader(io.StringIO(digest.read_text(encoding="utf-8-sig"))):
            if r["service"] in negative and (r["measure"], r["category"]) == (
                    "sentiment", "negative"):
                negative[r["service"]] += int(r["value"])
    assert negative["Home Care South"] > negative["Home Care North"], negative


async def test_three_weeks_show_a_trend_and_an_action_before_and_after(week: DemoWeek) -> None:
    """A digest each Monday; the last shows each week's share of good ratings, and Home
    Care South's rising after its action, which is listed with its before and after."""
    made = sorted(p.name for p in week.html_path.parent.glob("digest-1-*.html"))
    assert made == [f"digest-1-2026-11-{day}-7d.html" for day in ("02", "09", "16")]
    raw = week.html_path.with_suffix(".csv").read_text(encoding="utf-8")
    shares = {(r["service"], r["week_start"]): int(r["value"])
              for r in csv.DictReader(io.StringIO(raw.removeprefix("\ufeff")))
              if (r["measure"], r["category"]) == ("share_good", "fft") and r["value"]}
    south = [shares[("Home Care South", f"2026-11-{day}")] for day in ("02", "09", "16")]
    assert south[2] > max(south[:2]), south
    assert ("Home Care North", "2026-11-02") in shares
    page = week.html_path.read_text(encoding="utf-8")
    effect = re.search(r"Comments on this: (\d+)% in the 4 weeks before, (\d+)% since", page)
    assert effect is not None and int(effect[2]) < int(effect[1])


async def test_demo_week_closes_the_loop(week: DemoWeek) -> None:
    """The carer hears each step of their problem and says Yes; an alert the duty
    contact missed climbs to the backup, who acts; the commissioner's action reaches the
    people of that service and is in the digest."""
    carer = _chat(week, "Carer 1, carer")
    for step in ("has read your problem", "is being looked at by", "is sorted. What",
                 "Was this OK?", "(taps) [Yes]"):
        assert step in carer, step
    backup = _chat(week, "Ben, backup duty contact")
    assert "Nobody has acted on this yet" in backup and "Saved on alert" in backup
    assert "Ben has acted on alert" in _chat(week, "Duty team, duty contact")
    received = re.findall(r"carebot\*\*\n\n> You said, we did: Home Care South", week.transcript)
    assert len(received) == 13  # its 10 people and 3 carers
    page = week.html_path.read_text(encoding="utf-8")
    assert "You said, we did" in page and "15 minutes late" in page
    pack = PdfReader(week.html_path.parent / "pack-2-2026-11-02.pdf")
    assert [item.title for item in pack.outline] == [  # type: ignore[union-attr]
        "Needs attention", "Home Care North", "Home Care South",
        "Actions agreed: you said, we did", "Open issues"]


async def test_every_promise_of_a_first_check_in_is_kept(week: DemoWeek) -> None:
    """Each person chose their time with /schedule (tapping the real buttons), was told
    when their first check-in would come, and got it then."""
    people = re.findall(r"^## (\w+, uses .+)$", week.transcript, re.MULTILINE)
    assert len(people) == 30
    for title in people:
        chat, name = _chat(week, title), title.split(",")[0]
        with speaking(LANGUAGE_OF.get(name)):
            assert f"(taps) [{text('choice.weekly')}]" in chat, title
            assert any(f"(taps) [{text(f'choice.{part}')}]" in chat for part in WINDOWS), title
            # The check-in came: its hello's words after the greeting.
            hello = text("easy.start" if name in EASY_READ else "checkin.hello", name=name,
                         service="").split(". ")[-1].split(", ")[-1][:20]
        if name in LANGUAGE_OF or name in EASY_READ:  # the promise is read in English words
            assert hello in chat, title
            continue
        kept, broken = _kept_promises(chat)
        assert broken == [] and kept == 1, (title, broken)


async def test_everyone_takes_part_in_their_own_way(week: DemoWeek) -> None:
    """Ruth reads Welsh, the third carer writes Polish, Ali has easy read and Mo sends a
    voice note that reaches the provider's read list (issue 32)."""
    ruth = _chat(week, "Ruth, uses Home Care North")
    with speaking("cy"):
        assert text("consent.yes") in ruth and "Ar y cyfan, sut oedd eich profiad o" in ruth
    carer = _chat(week, "Carer 3, carer")
    with speaking("pl"):
        assert text("feedback.kind") in carer and "Dziękuję zespołowi" in carer
    ali = _chat(week, "Ali, uses Home Care North")
    assert f"[picture] {text('easy.key')}" in ali
    assert "[😀 Good] [😐 OK] [😞 Not good]" in ali
    mo = _chat(week, "Mo, uses Home Care North")
    assert "[voice note" in mo and text("thanks.voice", service="Home Care North") in mo
    priya = _chat(week, "Priya, provider manager (Sunrise Home Care Ltd)")
    assert "From Mo" in priya and "They sent a voice note" in priya
    assert text("checkin.you_said", question="", answer=text("media.voice")).strip() in mo


async def test_each_welcome_names_what_that_person_will_hear_from(week: DemoWeek) -> None:
    """Staff are told every service they will hear from; a carer is told what a carer
    can do; people and carers are told who sees what, and who is in charge of their
    data, before they say yes."""
    every = "Home Care North, Home Care South and Meadow View Day Centre"
    priya = _chat(week, "Priya, provider manager (Sunrise Home Care Ltd)")
    assert "each new problem at Home Care North and Home Care South." in priya
    assert "Meadow View" not in priya.split("(taps) [Yes, that is OK]")[1].split(
        "Here is your report")[0]
    assert f"alerts and requests to talk from {every}." in _chat(week,
                                                                "Duty team, duty contact")
    assert f"You are the backup for {every}." in _chat(week, "Ben, backup duty contact")
    lead = _chat(week, "Lena, the council's safeguarding lead")
    assert f"a report on {every}." in lead and f"safeguarding alert from {every}," in lead
    carer = _chat(week, "Carer 4, carer")
    assert "plan and check your care" not in carer
    assert "You can tell me about the care at Home Care North at any time." in carer
    assert "check-ins about how you are? Send /schedule." in carer
    for chat in (carer, _chat(week, "Sam, uses Home Care North")):
        asked = chat.split("[Yes, that is OK] [No, thank you]")[0]
        for told in ("Someone at Sunrise Home Care Ltd reads all you write or send me",
                     "council's safeguarding team", "Reports never show your name",
                     "Northshire County Council is in charge of your data",
                     "https://www.northshire.example/privacy"):
            assert told in asked, told


async def test_the_demo_runs_again_in_its_folder_and_leaves_other_files_alone(
        week: DemoWeek) -> None:
    """Every file the demo wrote is listed in its marker; a second run deletes those and
    writes them again, and a file someone put in the folder is still there."""
    folder = week.html_path.parent
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    there = {p.relative_to(folder).as_posix() for p in folder.rglob("*")} - {MARKER}
    assert there == set(marker["files"]) | set(marker["folders"])
    (folder / "notes.txt").write_text("my notes on the demo", encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        await run_demo(folder)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "my notes on the demo"
    assert "notes.txt" not in json.loads((folder / MARKER).read_text(encoding="utf-8"))["files"]
    assert (folder / "transcript.md").stat().st_size > 0


async def test_the_demo_writes_the_same_every_time(week: DemoWeek, tmp_path: Path) -> None:
    """Run again, in another folder, the demo writes the same transcript, digests (HTML
    and CSV) and pack, but for the invite codes: what happens at each simulated moment
    never depends on how fast the machine is. So two runs' outputs can be compared to
    show that a change to the code changed nothing a reader sees."""
    with contextlib.redirect_stdout(io.StringIO()):
        await run_demo(tmp_path / "again")
    again = _written(tmp_path / "again")
    assert sorted(again) == sorted(week.written)
    assert any(name.endswith(".csv") for name in again) and "transcript.md" in again
    for name, first in week.written.items():
        changed = list(difflib.unified_diff(first.splitlines(), again[name].splitlines(),
                                            "first run", "second run", lineterm="", n=1))
        assert not changed, f"{name} differs:\n" + "\n".join(changed[:40])


async def test_staff_read_everything_and_a_reader_catches_what_the_tagger_missed(
        week: DemoWeek) -> None:
    """Issue 29: the provider reads the list, finds a worry the tagger did not flag and
    raises it, and it goes to the duty team; a person who does not often feel safe asks
    for a call; the digest shows how much was read within a day."""
    priya = _chat(week, "Priya, provider manager (Sunrise Home Care Ltd)")
    assert QUIET_WORRY in priya and "(taps) [Safeguarding concern]" in priya
    assert READER_NOTE in _chat(week, "Duty team, duty contact")
    assert "which they raised as a safeguarding concern" in week.out
    assert "was asked whether they wanted someone to get in touch, and said yes" in week.out
    page = week.html_path.read_text(encoding="utf-8")
    assert page.count("Messages read within a day:") == 3  # one for each service
