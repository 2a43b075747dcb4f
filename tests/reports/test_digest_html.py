"""The digest page: what a person wrote is text on it, never markup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from carebot.reports.figures import Digest, ServiceDigest
from carebot.reports.render import digest_html
from carebot.reports.voices import Prompted, Quote, ServiceVoices, ThemeFigure
from carebot.reports.you_said_we_did import ActionEffect

WRITTEN = "<script>alert(1)</script> late & <b>rude</b>"


def _digest(service_name: str, voices: ServiceVoices) -> Digest:
    start = datetime(2026, 11, 16, tzinfo=UTC)
    service = ServiceDigest(
        service=service_name, provider="Sunrise <Care>", kind="home care", checkins_sent=9,
        checkins_completed=8, answers=30, respondents=8, suppressed=False,
        fft=(("very_good", 5), ("good", 3)), sentiment=(("positive", 5), ("negative", 3)),
        open_issues=(), compliments=0, voices=voices,
        actions=(ActionEffect(you_said=WRITTEN, we_did="We <i>changed</i> the rota",
                              theme=None, share_before=None, share_after=None),))
    return Digest(council="Kent & Medway", start=start, end=start + timedelta(days=7),
                  made_at=start + timedelta(days=7), threshold=5, services=(service,))


def test_what_people_wrote_is_escaped_everywhere_it_shows() -> None:
    quote = Quote(WRITTEN, ("late",))
    voices = ServiceVoices(
        themes=(ThemeFigure("Timekeeping", 3, 1, 1.5, (quote,)),),
        prompted=(Prompted("not_working", 6, (quote,)),), carers=(), carer_themes=())
    page = digest_html(_digest("Home <Care> North", voices))
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>late</mark> &amp; &lt;b&gt;rude" in page
    assert "Home &lt;Care&gt; North" in page and "Kent &amp; Medway" in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_words_in_another_language_are_quoted_as_written_with_their_language() -> None:
    """A Welsh comment stays in Welsh, marked as Welsh for a screen reader's voice and
    labelled for the reader (issue 32)."""
    welsh = Quote("Mae'r gofalwyr yn garedig iawn.", (), "cy")
    voices = ServiceVoices(themes=(), prompted=(Prompted("working", 6, (welsh,)),), carers=(),
                           carer_themes=())
    page = digest_html(_digest("Home Care North", voices))
    assert ('<blockquote><span lang="cy">“Mae&#x27;r gofalwyr yn garedig iawn.”</span> '
            "(in Welsh)</blockquote>") in page
