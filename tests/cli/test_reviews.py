"""Readers teach the tagger (issue 29, item 5): what readers of the read list judged is a
label beside the words; `carebot eval --reviews` says how the tagger agreed with them,
and the risk model's training takes them as one more coded file."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from carebot.cli.main import main
from carebot.settings.clock import SystemClock
from carebot.storage import issues, read_list, tags
from carebot.storage.db import open_database
from carebot.storage.models import TagKind, TagRecord
from carebot.storage.read_list import Judgement
from carebot.understanding.lab.reviews import REVIEWS, Judged, agreement, as_coded
from tests.helpers import joined, small_world

# (words, the tagger's risk, what the reader judged)
JUDGED = (
    ("carer hit mum", "urgent", Judgement.CONCERN),
    ("mum fell out of bed laughing at the telly", "concern", Judgement.NOT_A_CONCERN),
    ("he keeps my bank card now", "none", Judgement.CONCERN),
    ("lovely carers", "none", Judgement.NO_CONCERN),
    ("the lunch was cold", "none", Judgement.PROBLEM),
)


async def _judged_world(path: Path) -> None:
    db = await open_database(path)
    try:
        now = SystemClock().now()
        world = await small_world(db, now)
        jo = await joined(db, world, now, telegram_user_id=21)
        for words, risk, judgement in JUDGED:
            issue = await issues.raise_issue(db, raised_by_id=jo.id,
                                             service_id=world.service_id, text=words, now=now)
            await tags.add_tags(db, tags=[TagRecord(TagKind.RISK, risk, 0.5, None)],
                                tagger="t", now=now, issue_id=issue.id)
            item = await read_list.item_of_issue(db, issue.id)
            assert item is not None
            await read_list.judge(db, [item], reader_id=jo.id, judgement=judgement, now=now)
    finally:
        await db.close()


def test_eval_says_how_the_tagger_agreed_with_readers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "carebot.sqlite3"
    monkeypatch.setenv("CAREBOT_DATABASE", str(path))
    asyncio.run(_judged_world(path))
    assert main(["eval", "--reviews"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said == [
        "Judged by readers in the last 30 days: 5.",
        "Flagged by the tagger and confirmed as a worry by the reader: 1 of 2 (50%).",
        "Worries readers saw that the tagger did not flag: 1 of 2 (50%).",
    ]


def test_judgements_teach_as_coded_messages() -> None:
    judged = [Judged(words, judgement is Judgement.CONCERN, risk != "none")
              for words, risk, judgement in JUDGED]
    coded = as_coded(judged)
    assert [c.risk for c in coded] == [("concern", "concern"), ("none", "none"),
                                       ("concern", "concern"), ("none", "none"),
                                       ("none", "none")]
    assert all(c.source == REVIEWS for c in coded)
    assert [c.both_risk for c in coded] == [True, False, True, False, False]
    found = agreement(judged)
    assert (found.judged, found.flagged, found.confirmed, found.missed) == (5, 2, 1, 1)


def test_train_with_reviews_asks_for_the_risk_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--with-reviews"]) == 2
    assert "add --risk" in capsys.readouterr().err
