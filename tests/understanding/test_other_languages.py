"""Words in another language are read as what they are (issue 32, item 3): the language
is found, the words get no English sentiment or themes, and Welsh and Polish words that
say someone is being harmed raise the same alert as English ones would."""

from __future__ import annotations

import csv

import pytest

from carebot.understanding.any_language import NO_SENTIMENT, tag_words
from carebot.understanding.language_detection import written_in
from carebot.understanding.risk_words import languages, risk_in
from tests.helpers import SHARED


@pytest.mark.parametrize(("words", "language"), [
    ("The carers were late again this morning and nobody rang.", "en"),
    ("Mae'r gofalwyr yn hwyr bob bore ac nid oes neb yn ffonio.", "cy"),
    ("Diolch yn fawr i'r tîm am eu gwaith caled.", "cy"),
    ("Opiekunki spóźniają się codziennie i nikt nie dzwoni.", "pl"),
    ("Dziękuję bardzo za pomoc dla mojej mamy.", "pl"),
    ("میری امی کو وقت پر دوائی نہیں ملتی", "ur"),
    ("مقدمو الرعاية يتأخرون كل يوم", "ar"),
    ("ਦੇਖਭਾਲ ਕਰਨ ਵਾਲੇ ਦੇਰ ਨਾਲ ਆਉਂਦੇ ਹਨ", "pa"),
    ("护理人员每天都迟到", "zh"),
    ("Sometimes the minibus is a bit late.", "en"),  # Portuguese to Lingua's trigrams
    ("ok thanks", "en"),      # too short to tell: read as English, which reads it best
    ("she hit me", "en"),
    ("Nie", "en"),
    ("👍👍", "en"),
])
def test_the_language_is_found(words: str, language: str) -> None:
    assert written_in(words) == language


def test_english_comments_are_read_as_english() -> None:
    """Of the English social-care comments in ../shared/data, hardly any are taken for
    another language (each would lose its English sentiment and themes)."""
    texts = []
    for name in ("social-care-dev.tsv", "social-care-dev-2.tsv"):
        with (SHARED / "data" / name).open(encoding="utf-8") as rows:
            texts += [row["text"] for row in csv.DictReader(rows, delimiter="\t")]
    others = [t for t in texts if written_in(t) != "en"]
    assert len(texts) > 1500
    assert len(others) <= len(texts) // 500, others


RISKS = [
    # Welsh: words that say someone is harmed, in their mutated forms too
    ("cy", "Mae un o'r gofalwyr wedi taro Mam ddoe.", "concern", "physical"),
    ("cy", "Gwthiodd y gofalwr fy nhad i'r llawr.", "concern", "physical"),
    ("cy", "Mae gan Dad gleisiau ar ei fraich.", "concern", "physical"),
    ("cy", "Mae Mam yn ofnus o'r gofalwr newydd.", "concern", "scared"),
    ("cy", "Mae arian wedi mynd o bwrs Mam.", "concern", "financial"),
    ("cy", "Does neb wedi dod heddiw, mae hi heb fwyd.", "concern", "neglect"),
    ("cy", "Syrthiodd Dad neithiwr a bu ar y llawr am oriau.", "concern", "fall"),
    ("cy", "Mae Dad yn dweud ei fod eisiau marw.", "urgent", "self_harm"),
    ("cy", "Mae'r gofalwr yn gweiddi arni bob bore.", "concern", "emotional"),
    # Polish: words that say someone is harmed, in any ending
    ("pl", "Opiekunka uderzyła moją mamę.", "concern", "physical"),
    ("pl", "Tata ma siniaki na rękach.", "concern", "physical"),
    ("pl", "Opiekun krzyczy na mamę.", "concern", "emotional"),
    ("pl", "Z portfela zniknęły pieniądze.", "concern", "financial"),
    ("pl", "Nikt nie przyszedł wczoraj, mama była głodna.", "concern", "neglect"),
    ("pl", "Mama boi się nowej opiekunki.", "concern", "scared"),
    ("pl", "Tata upadł w łazience.", "concern", "fall"),
    ("pl", "Mama mówi, że chce umrzeć.", "urgent", "self_harm"),
    ("pl", "Opiekun dotykał intymnych miejsc mamy.", "urgent", "sexual"),
    # Said not to have happened, or nothing worrying
    ("cy", "Dyw Mam ddim yn ofnus o gwbl.", "none", None),
    ("cy", "Mae popeth yn iawn, diolch yn fawr.", "none", None),
    ("pl", "Opiekunka nie uderzyła mamy.", "none", None),
    ("pl", "Wszystko dobrze, dziękuję bardzo.", "none", None),
    ("pl", "Mama nie boi się opiekunki.", "none", None),
]


@pytest.mark.parametrize(("language", "words", "level", "category"), RISKS)
def test_risk_words_in_welsh_and_polish(language: str, words: str, level: str,
                                        category: str | None) -> None:
    risk = risk_in(words, language)
    assert risk.level == level
    assert (risk.reasons[0] if risk.reasons else None) == category


def test_the_lists_are_for_welsh_and_polish() -> None:
    assert languages() == {"cy", "pl"}


def test_words_in_another_language_get_no_english_sentiment_or_themes() -> None:
    found = tag_words("Opiekunka uderzyła moją mamę i nikt nic nie zrobił.")
    assert (found.language, found.sentiment, found.themes) == ("pl", NO_SENTIMENT, ())
    assert found.risk == "concern" and "uderzyła" in found.why
    english = tag_words("The carer hit my mum and nobody did anything.")
    assert english.language == "en" and english.sentiment == "negative"
    assert english.risk != "none"


@pytest.mark.parametrize(("words", "language", "risk"), [
    ("Tata upadł w łazience.", "pl", "concern"),  # too short for Lingua to be sure
    ("Mae Mam yn ofnus.", "cy", "concern"),
    ("We did tarot cards today and she loved it.", "en", "none"),  # "taro", not Welsh
    ("He is curious about the new garden.", "en", "none"),  # nor "curo"
    ("Nie", "en", "none"),
])
def test_a_short_message_with_harm_in_welsh_or_polish_is_read_in_that_language(
        words: str, language: str, risk: str) -> None:
    found = tag_words(words)
    assert (found.language, found.risk) == (language, risk)
