"""The read list as the database keeps it (storage/read_list.py, migration 0016): every
kind of record with words or media is put on it as it is kept, the worst first, and a
reader's judgement is a label that goes when the words go."""

from __future__ import annotations

from datetime import timedelta

import pytest

from carebot.storage import edits, issues, read_list, tags
from carebot.storage.db import Database
from carebot.storage.models import IssueStatus, TagKind, TagRecord
from carebot.storage.personal_data import forget
from carebot.storage.read_list import Judgement
from carebot.storage.retention import apply_retention
from tests.conftest import START
from tests.helpers import joined, plans_reading_history, small_world


async def test_each_kind_of_record_goes_on_the_list_as_it_is_kept(db: Database) -> None:
    world = await small_world(db, START)
    jo = await joined(db, world, START, telegram_user_id=11)
    issue = await issues.raise_issue(db, raised_by_id=jo.id, service_id=world.service_id,
                                     text="The carer was late", now=START, message_id=1)
    await edits.add_edit(db, person_id=jo.id, message_id=1, text="The carer was late again",
                         tags=edits.EditTags("negative", "none", None), now=START)
    await read_list.keep_media(db, person_id=jo.id, service_id=world.service_id,
                               checkin_id=None, kinds="voice", file_ids="v1", duration=4,
                               message_id=2, now=START)
    # Handled again after a crash: the same one.
    await read_list.keep_media(db, person_id=jo.id, service_id=world.service_id,
                               checkin_id=None, kinds="voice", file_ids="v1", duration=4,
                               message_id=2, now=START)
    page, total = await read_list.unread(db, [world.service_id], limit=10)
    assert total == 3
    kinds = sorted((i.issue_id is not None, i.edited, i.file_ids is not None) for i in page)
    # The changed message is the issue's new version (it names its issue).
    assert kinds == [(False, False, True), (True, False, False), (True, True, False)]
    assert {i.issue_reference for i in page} == {issue.reference, None}


async def test_the_worst_come_first_then_the_oldest(db: Database) -> None:
    world = await small_world(db, START)
    jo = await joined(db, world, START, telegram_user_id=12)
    said = {}
    for minutes, words, risk, score in ((0, "old and fine", "none", 0.1),
                                        (5, "newer and fine", "none", 0.3),
                                        (10, "a concern", "concern", 0.6),
                                        (15, "urgent", "urgent", 0.99)):
        issue = await issues.raise_issue(db, raised_by_id=jo.id, service_id=world.service_id,
                                         text=words, now=START + timedelta(minutes=minutes))
        await tags.add_tags(db, tags=[TagRecord(TagKind.RISK, risk, score, None)],
                            tagger="t", now=START, issue_id=issue.id)
        said[words] = issue
    page, _ = await read_list.unread(db, [world.service_id], limit=10)
    assert [i.words for i in page] == ["urgent", "a concern", "newer and fine", "old and fine"]
    older, total = await read_list.unread(db, [world.service_id], limit=10,
                                          arrived_before=START + timedelta(minutes=6))
    assert total == 2 and [i.words for i in older] == ["newer and fine", "old and fine"]


async def test_marking_a_page_read_never_undoes_a_concern(db: Database) -> None:
    world = await small_world(db, START)
    jo = await joined(db, world, START, telegram_user_id=13)
    first = await issues.raise_issue(db, raised_by_id=jo.id, service_id=world.service_id,
                                     text="one", now=START)
    second = await issues.raise_issue(db, raised_by_id=jo.id, service_id=world.service_id,
                                      text="two", now=START)
    ids = [await read_list.item_of_issue(db, i.id) for i in (first, second)]
    assert None not in ids
    one, two = (int(i) for i in ids if i is not None)
    assert await read_list.judge(db, [one], reader_id=jo.id, judgement=Judgement.CONCERN,
                                 now=START) == 1
    assert await read_list.judge(db, [one, two], reader_id=jo.id,
                                 judgement=Judgement.NO_CONCERN, now=START) == 1
    judged = {r.words: r.judgement for r in await read_list.reviews(db)}
    assert judged == {"one": Judgement.CONCERN, "two": Judgement.NO_CONCERN}


async def test_a_label_goes_with_its_words(db: Database) -> None:
    world = await small_world(db, START)
    jo = await joined(db, world, START, telegram_user_id=14)
    sam = await joined(db, world, START, telegram_user_id=15, name="Sam")
    for person, words in ((jo, "from jo"), (sam, "from sam")):
        issue = await issues.raise_issue(db, raised_by_id=person.id,
                                         service_id=world.service_id, text=words, now=START)
        item = await read_list.item_of_issue(db, issue.id)
        assert item is not None
        await read_list.judge(db, [item], reader_id=jo.id, judgement=Judgement.NO_CONCERN,
                              now=START)
        await issues.change_status(db, issue_id=issue.id, status=IssueStatus.RESOLVED,
                                   by_id=jo.id, note=None, tell=[], now=START)
    await forget(db, sam.id, START)
    assert [r.words for r in await read_list.reviews(db)] == ["from jo"]
    await apply_retention(db, START + timedelta(days=800), 24)
    assert await read_list.reviews(db) == []


async def test_waiting_items_are_passed_on_once(db: Database) -> None:
    world = await small_world(db, START)
    jo = await joined(db, world, START, telegram_user_id=16)
    await issues.raise_issue(db, raised_by_id=jo.id, service_id=world.service_id,
                             text="waiting", now=START)
    later = START + timedelta(hours=30)
    before = START + timedelta(hours=6)
    (waiting,) = await read_list.waiting(db, arrived_before=before, not_told="overdue_told_at")
    assert (waiting.service_id, waiting.count, waiting.oldest) == (world.service_id, 1, START)
    await read_list.tell_waiting(db, service_id=world.service_id, arrived_before=before,
                                 told="overdue_told_at", messages=[], now=later)
    assert await read_list.waiting(db, arrived_before=before, not_told="overdue_told_at") == []
    assert len(await read_list.waiting(db, arrived_before=before, not_told="late_told_at")) == 1


@pytest.mark.sqlite_only  # SQLite's query planner
async def test_reading_the_list_reads_no_history_whole(db: Database) -> None:
    world = await small_world(db, START)
    jo = await joined(db, world, START, telegram_user_id=17)
    await issues.raise_issue(db, raised_by_id=jo.id, service_id=world.service_id,
                             text="one", now=START)
    heard: list[str] = []
    await db.trace(heard.append)
    try:
        await read_list.unread(db, [world.service_id], limit=5)
        await read_list.waiting(db, arrived_before=START, not_told="late_told_at")
        await read_list.reviews(db, since=START)
    finally:
        await db.trace(None)
    assert await plans_reading_history(db, heard) == []
