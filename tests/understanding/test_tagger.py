"""The tagger: care language, negation, mixed comments, risk with evidence, the data file."""

from __future__ import annotations

import math
import re
import tomllib
from importlib import resources

import pytest

from carebot.understanding.cues import CueIndex
from carebot.understanding.normalise import FUNCTION_WORDS, make_plain
from carebot.understanding.safeguarding import _data as safeguarding_data
from carebot.understanding.safeguarding import risk_cues
from carebot.understanding.tagger import (
    Tagger,
    _tells,
    blob_words,
    default_tagger,
    ngram_counts,
    tag_text,
)
from carebot.understanding.themes import THEME_IDS, _pair, themes
from tests.helpers import SHARED


def test_theme_file_defines_exactly_the_nineteen_themes() -> None:
    assert tuple(t.id for t in themes()) == THEME_IDS
    for theme in themes():
        assert theme.name and theme.description and theme.cues and theme.examples, theme.id
        assert theme.strong, theme.id


def test_each_themes_examples_are_found() -> None:
    for theme in themes():
        for example in theme.examples:
            assert theme.id in tag_text(example).theme_ids, (theme.id, example)


def _sample(cue: str) -> str:
    """A text a cue should find: the first choice of each group and word, no gaps."""
    cue = re.sub(r"\(([^|()]*)[^()]*\)", r"\1", cue).replace(" ~ ", " ")
    chunks = [c.split("|")[0].lstrip("=") for c in cue.split() if c not in ("..", "...")]
    return " ".join(c[:-1] + "ed" if c.endswith("*") else c for c in chunks)


def test_every_cue_in_the_data_files_can_match() -> None:
    language = tomllib.loads(resources.files("carebot.understanding").joinpath(
        "care_language.toml").read_text(encoding="utf-8"))
    cues = [c for t in themes() for c in (*t.cues, *t.strong)]
    cues += [c for t in themes() if t.together for group in t.together for c in group]
    cues += [c for _, c in risk_cues()]
    cues += language["sentiment"]["negative"] + language["sentiment"]["positive"]
    for cue in cues:
        index = CueIndex([("x", cue)], [])
        assert index.find(make_plain(_sample(cue))), (cue, _sample(cue))


def test_every_codebook_risk_category_has_cues() -> None:
    codebook = {"physical", "emotional", "financial", "sexual", "neglect", "self_neglect",
                "fall", "restrictive", "discriminatory", "domestic", "exploitation",
                "self_harm", "medical", "scared", "other"}
    risks = safeguarding_data()["risk"]
    assert isinstance(risks, list)
    assert {r["id"] for r in risks} == codebook


@pytest.mark.parametrize(("text", "sentiment"), [
    ("The carers are kind and always have time for a chat.", "positive"),
    ("Late again this morning.", "negative"),
    ("Lovely staff but always late.", "negative"),
    ("They rushed me and left after ten minutes.", "negative"),
    ("Nobody came on Tuesday.", "negative"),
    ("Nothing.", "positive"),
    ("Nothing to improve, keep up the good work.", "positive"),
    ("very good", "positive"), ("they are good", "positive"), ("staff were superb", "positive"),
    ("lovely staff", "positive"), ("patient and kind", "positive"),
    ("I like the lunch", "positive"), ("The new carer is patient and kind", "positive"),
    ("I like the lunch at the centre, especially the Friday fish", "positive"),
    ("👍", "positive"),
])
def test_sentiment_knows_care_language(text: str, sentiment: str) -> None:
    assert tag_text(text).sentiment == sentiment


def test_polarity_is_between_minus_one_and_one() -> None:
    for text in ("Brilliant, thank you!", "Terrible, nobody came.", "The visit was at ten."):
        assert -1.0 <= tag_text(text).polarity <= 1.0
    assert tag_text("Brilliant, thank you!").polarity > 0 > tag_text(
        "Terrible, nobody came.").polarity


@pytest.mark.parametrize(("text", "theme", "evidence"), [
    ("Different carers every day. I never know who is coming.", "continuity",
     "different carers"),
    ("The medication chart was not filled in.", "medication", "medication chart"),
    ("The minibus to the day centre was late.", "transport", "minibus"),
    ("My direct payment has not come through.", "cost", "direct payment"),
    ("My daughter is kept up to date after every visit.", "family_carers",
     "my daughter … kept up to date"),
])
def test_themes_carry_the_words_that_triggered_them(text: str, theme: str,
                                                    evidence: str) -> None:
    found = {t.id: t.evidence for t in tag_text(text).themes}
    assert theme in found and evidence in found[theme]


@pytest.mark.parametrize("text", [
    "My son was treated very well.", "The nurse was kind to my husband.",
    "My daughter and I were happy with the service.",
])
def test_naming_a_relative_is_not_a_theme_by_itself(text: str) -> None:
    assert "family_carers" not in tag_text(text).theme_ids


def test_a_together_cue_needs_two_lists() -> None:
    with pytest.raises(ValueError, match="two lists"):
        _pair([["my son"]])
    assert _pair([["my son"], ["told"]]) == (("my son",), ("told",))
    assert _pair(None) is None


@pytest.mark.parametrize(("text", "risk", "reason"), [
    ("Sometimes I want to end it all.", "urgent", "self_harm"),
    ("One of the carers slapped my dad.", "concern", "physical"),
    ("Nobody came so I had no food all day.", "concern", "neglect"),
    ("I fell in the bathroom and could not get up.", "urgent", "fall"),
    ("Money went missing from my purse.", "concern", "financial"),
    ("I am scared of the new carer.", "concern", "scared"),
    ("They discharged Dad with no care in place.", "concern", "neglect"),
    ("Mum has had no food since yesterday.", "urgent", "neglect"),
    ("the carer shouted at him and grabbed his arm", "concern", "physical"),
    ("i dont feel safe wen he comes round", "concern", "scared"),
    ("the carers hoisted her sooo ruff she was cryin", "concern", "physical"),
    ("hes not been washed for days", "urgent", "neglect"),
])
def test_risk_is_found_with_its_reason(text: str, risk: str, reason: str) -> None:
    found = tag_text(text)
    assert found.risk == risk and reason in found.risk_reasons
    assert found.evidence["risk"]


@pytest.fixture(scope="module")
def rules() -> Tagger:
    return Tagger(fast=True)


@pytest.mark.parametrize(("text", "reason"), [
    ("The carer makes sexual comments when he washes me", "sexual"),  # not "sexuality"
    ("I don't see the point in going on any more", "self_harm"),
    ("He pushed me back into the chair when I tried to stand up", "physical"),
    ("He tells me I am useless and a burden every day", "emotional"),
    ("She says if I complain she will stop coming", "emotional"),
    ("The carer asked me to lend her £200", "financial"),
    ("My neighbour made me sign something about my house", "financial"),
    ("No one has changed my pad since last night", "neglect"),
    ("Nobody has changed his pad", "neglect"),
    ("They leave her dinner on the side where she can't reach it", "neglect"),
    ("I haven't been out of this bed since Monday", "neglect"),
    ("They gave me someone else's tablets", "medical"),
    ("The new carer laughs at my accent", "discriminatory"),
    ("They ignore me because I am in a wheelchair", "discriminatory"),
    ("He gets cross if I talk to you", "domestic"),  # the codebook's own example
    ("Some lads keep coming to my flat and I can't say no to them", "exploitation"),
    # A negator does not reach across a new subject to the harm in its own clause.
    ("I told nobody he hit me", "physical"),
    ("I didn't know he hit her", "physical"),
])
def test_the_rules_read_each_category_as_people_say_it(rules: Tagger, text: str,
                                                        reason: str) -> None:
    assert reason in rules.tag(text).risk_reasons


@pytest.mark.parametrize("text", [
    "The cat knocked my tablets off the table but I found them all",
    "I watched a programme about abuse in care homes, terrible",
    "I hit my head on the cupboard but it was just a bump",
    "They lock the front door at night which makes me feel safer",
    "Nobody is in danger, I just want my breakfast before 11",  # "nobody" negates
    "Nobody hits me here",
])
def test_the_rules_leave_what_only_sounds_like_a_risk(rules: Tagger, text: str) -> None:
    assert rules.tag(text).risk == "none"


@pytest.mark.parametrize("text", [
    "I feel safe with my carers.", "I am not scared of anyone here.", "I never feel unsafe.",
    "I have not fallen this year.", "The carers are lovely.", "No problems at all.",
    "Mum had a fall last year but she is fine now.", "I fell asleep in the lounge.",
    "The doctor will see you roughly within 3-6 hours.", "The emergency department was busy.",
    "My son wasnt hurt and he is fine going back.", "We get our own lunch at the centre.",
])
def test_reassurance_raises_no_alarm(text: str) -> None:
    assert tag_text(text).risk == "none"


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "x" * 50_000,
                                  "护理人员迟到了", "مقدمو الرعاية يتأخرون"])
def test_odd_text_is_tagged_without_error(text: str) -> None:
    found = tag_text(text)
    assert found.sentiment in ("negative", "neutral", "positive")
    assert found.risk in ("none", "concern", "urgent")


def test_every_theme_found_carries_the_words_that_found_it() -> None:
    texts = ["The carer was late again and rushed my wash.", "Lovely staff, good food.",
             "Nobody tells us anything about the direct payment.", "I like the lunch",
             "The minibus driver was rude to Dad and the day centre is cold."]
    for text in texts:
        for theme in tag_text(text).themes:
            assert theme.evidence and all(theme.evidence), (text, theme)


def test_the_fast_vector_is_textbook_tf_idf_of_the_ngrams() -> None:
    tagger = default_tagger()
    texts = ["The carer was late again, late again and rushed, rushing off.",
             "Lovely staff", "nobody came nobody came nobody came", "x", "sooo good 👍"]
    for text in texts:
        reading = tagger.read(text)
        grams = {g: (1 + math.log(n)) * tagger._idf[g]
                 for g, n in ngram_counts(reading.plain.words).items() if g in tagger._idf}
        norm = math.sqrt(sum(v * v for v in grams.values())) or 1.0
        expected = {tagger._row[g]: v / norm for g, v in grams.items() if g in tagger._row}
        expected |= {tagger._row[f]: v for f, v in tagger.dense_features(reading).items()
                     if f in tagger._row}
        rows, values = tagger.vector(reading)
        assert dict(zip(rows, values, strict=True)) == pytest.approx(expected), text


@pytest.mark.parametrize("text", ["The carers are lovely!", "Not very good at all.",
                                  "Terrible food :(", "Great :)", "I'm happy, thank you"])
def test_textblob_reads_our_words_as_it_reads_the_text(text: str) -> None:
    from textblob import TextBlob
    from textblob.en import sentiment

    assert sentiment(blob_words(text))[0] == pytest.approx(TextBlob(text).sentiment.polarity)


def test_a_negation_textblob_leaves_whole_is_split() -> None:
    from textblob.en import sentiment

    assert blob_words("wasn't good") == ["was", "n't", "good"]
    assert sentiment(blob_words("The room wasn't good"))[0] < 0


def _everything_people_write() -> list[str]:
    """Every coded social-care message and every line the demo's people write."""
    from carebot.demo import personas
    from carebot.understanding.lab.training import load_all_coded

    coded = load_all_coded([SHARED / "data" / "social-care-dev.tsv",
                            SHARED / "data" / "social-care-dev-2.tsv"])
    demo = {*personas.GOOD, *personas.BAD, *personas.MIXED, *personas.BETTER_NOW,
            *personas.FUTURE, *(text for _, text in personas.CARER_MESSAGES),
            *(text for by_mood in personas.PROMPTED.values()
              for said in by_mood.values() for text in said)}
    return [row.text for row in coded] + sorted(demo)


def test_every_themes_evidence_is_words_a_reader_would_accept() -> None:
    """The words shown as why a comment is about a theme are never function words
    alone ("is a", "get her"): over every coded message and the whole demo."""
    tagger = default_tagger()
    weak = [(text, theme.id, said) for text in _everything_people_write()
            for theme in tagger.tag(text).themes for said in theme.evidence
            if not any(word not in FUNCTION_WORDS for word in said.split())]
    assert not weak, weak[:10]
    assert not _tells("is a") and not _tells("get her") and _tells("late again")
