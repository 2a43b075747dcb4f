"""A digest opens with what needs attention: duty waiting first (alerts, requests to talk,
messages unread, issues waiting too long), then measures that fell with enough answers to
say so; then every service, linked to its section."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from carebot.reports.attention import concerns
from carebot.reports.figures import Digest, OpenIssue, ServiceDigest
from carebot.reports.measures import Measure, ServiceMeasures
from carebot.reports.render import digest_html
from carebot.storage.read_figures import ReadFigures

START = datetime(2026, 11, 16, tzinfo=UTC)
CALM = ServiceDigest(
    service="Calm Care", provider="Sunrise", kind="home care", checkins_sent=30,
    checkins_completed=25, answers=60, respondents=25, suppressed=False,
    fft=(("very_good", 20), ("good", 5)), sentiment=(), open_issues=(), compliments=0,
    service_id=1)


def _fft(change: int | None) -> ServiceMeasures:
    fft = Measure("fft", "Rated the service good or very good", 70, change, (80, 70),
                  good=21, counted=30)
    return ServiceMeasures(enrolled=40, fft=fft, outcomes=(), helped_by=(),
                           alert_minutes=None, alerts_waiting=0)


def _digest(*services: ServiceDigest) -> Digest:
    return Digest(council="Northshire", start=START, end=START + timedelta(days=7),
                  made_at=START + timedelta(days=7), threshold=5, services=services)


def test_duty_waiting_comes_before_a_fall_and_a_calm_service_is_not_listed() -> None:
    fell = replace(CALM, service="Fell Care", service_id=2, measures=_fft(-12))
    waiting = replace(
        CALM, service="Busy Care", service_id=3, alerts=(2, 1), talks=(1, 1),
        reading=ReadFigures(arrived=5, read_in_time=2, unread=3, too_new=1),
        open_issues=(OpenIssue("CB-1", "problem", 3), OpenIssue("CB-2", "idea", 40,
                                                                 "being looked at"),
                     OpenIssue("CB-3", "problem", 8, "read, not yet sorted")))
    found = concerns(_digest(CALM, fell, waiting, replace(CALM, service_id=4,
                                                          measures=_fft(-9))))
    assert [(c.service.service, c.reasons) for c in found] == [
        ("Busy Care", ("1 safeguarding alert not acted on yet",
                       "2 of 4 messages not read within a day",
                       "1 issue not read for a day or more",
                       "1 issue read but not taken on for 7 days or more",
                       "1 issue open for 28 days or more")),
        ("Fell Care", ("Rated the service good or very good: down 12 points on the week "
                       "before",))]


def test_a_fall_is_not_a_concern_where_the_change_is_not_shown() -> None:
    # Too few answers to compare (change None), or the service's answers hidden.
    assert concerns(_digest(replace(CALM, measures=_fft(None)))) == ()
    assert concerns(_digest(replace(CALM, measures=_fft(-30), suppressed=True))) == ()


def test_the_page_opens_with_attention_then_services_linked_to_their_sections() -> None:
    page = digest_html(_digest(CALM, replace(CALM, service="Busy Care", service_id=3,
                                             alerts=(1, 0))))
    attention, services = page.index('id="attention"'), page.index('id="services"')
    assert attention < services < page.index('id="service-1"')
    assert ('<li><a href="#service-3">Busy Care</a>: 1 safeguarding alert not acted on '
            'yet.</li>') in page
    assert '<td><a href="#service-1">Calm Care</a></td><td>25</td><td>100% of 25</td>' in page
    calm = digest_html(_digest(CALM))
    assert "Nothing here needs attention" in calm
