"""When weekly digests are due; making each commissioner's, and putting it in the outbox
for their chat (the bot sends it)."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from carebot.conversations.texts import text
from carebot.reports.figures import Digest, build_for
from carebot.reports.render import digest_summary, write_digest
from carebot.settings.config import Config
from carebot.storage import directory, outbox, reporting
from carebot.storage.db import Database
from carebot.storage.models import Person, PersonStatus, Purpose, Role, Service

log = logging.getLogger(__name__)


def week_ending(
    moment: datetime, weekday: int, hour: int, timezone: str
) -> tuple[datetime, datetime, datetime]:
    """For the most recent digest moment at or before `moment`: (period start, period end,
    digest moment). A period is the seven local days before the digest day."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    day: date = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    send_at = datetime.combine(day, time(hour), tzinfo=zone)
    if send_at > local:
        day -= timedelta(days=7)
        send_at = datetime.combine(day, time(hour), tzinfo=zone)
    end = datetime.combine(day, time(0), tzinfo=zone)
    start = datetime.combine(day - timedelta(days=7), time(0), tzinfo=zone)
    return start, end, send_at


DIGEST_READERS = (Role.COMMISSIONER, Role.BOARD_MEMBER, Role.PROVIDER)


async def services_read_by(db: Database, reader: Person) -> tuple[str, list[Service]]:
    """Whose digest a reader gets: a commissioner's or board member's council (a digest
    has no names, no issue texts), a provider's own services."""
    organisation = (None if reader.organisation_id is None
                    else await directory.get_organisation(db, reader.organisation_id))
    if organisation is None:
        raise ValueError(f"person {reader.id} has no council or provider")
    if reader.role is Role.PROVIDER:
        return organisation.name, await directory.services_of_provider(db, organisation.id)
    return organisation.name, await directory.services_of_council(db, organisation.id)


async def make_digest(db: Database, config: Config, reader: Person, start: datetime,
                      end: datetime, now: datetime) -> tuple[Digest, str, str]:
    """Build and write one reader's digest; returns it with its HTML and CSV paths."""
    title, services = await services_read_by(db, reader)
    assert reader.organisation_id is not None  # services_read_by found their organisation
    return await write_organisation_digest(db, config, reader.organisation_id, title,
                                           services, (start, end), now)


async def write_organisation_digest(db: Database, config: Config, organisation_id: int,
                                    title: str, services: list[Service],
                                    period: tuple[datetime, datetime],
                                    now: datetime) -> tuple[Digest, str, str]:
    """One council's (or provider's) digest of `services`, written as HTML and CSV: every
    reader of that organisation gets the same files."""
    start, end = period
    digest = await build_for(db, title=title, services=services, start=start, end=end,
                             threshold=config.suppression_threshold, now=now,
                             timezone=config.timezone)
    local = start.astimezone(ZoneInfo(config.timezone))
    days = round((end - start) / timedelta(days=1))
    stem = f"digest-{organisation_id}-{local:%Y-%m-%d}-{days}d"
    html_path, csv_path = write_digest(digest, config.output_dir, stem)
    return digest, str(html_path), str(csv_path)


async def queue_digest(db: Database, commissioner: Person, digest: Digest, html_path: str,
                       csv_path: str, key: str, now: datetime) -> None:
    """Put the summary and both files in the outbox for the commissioner's chat (a long
    summary, a council of many services, goes in parts: bot/delivery.py)."""
    if commissioner.chat_id is None:
        return
    summary = text("digest.ready", period=digest.period, summary=digest_summary(digest))
    messages = [outbox.NewMessage(commissioner.chat_id, Purpose.DIGEST,
                                  person_id=commissioner.id, text=summary,
                                  dedupe_key=f"{key}:summary")]
    messages += [outbox.NewMessage(commissioner.chat_id, Purpose.DIGEST_FILE,
                                   person_id=commissioner.id, document_path=path,
                                   dedupe_key=f"{key}:{path.rsplit('.', 1)[-1]}")
                 for path in (html_path, csv_path)]
    for message in messages:
        await outbox.enqueue(db, message, now)


async def digests_due(db: Database, config: Config,
                      now: datetime) -> list[tuple[Person, tuple[datetime, datetime]]]:
    """Each reader whose digest is due and not yet made, with its week: the seven days
    before their chosen day (or the council's). After downtime it catches up, but only
    on a digest due while they were here."""
    readers = [reader for role in DIGEST_READERS
               for reader in await directory.people_with_role(db, role)
               if reader.status is PersonStatus.ACTIVE]
    if not readers:
        return []
    weeks = [week_ending(now, config.digest_weekday if reader.digest_weekday is None
                         else reader.digest_weekday, config.digest_hour, config.timezone)
             for reader in readers]
    made = await reporting.digests_made_since(db, min(start for start, _, _ in weeks))
    return [(reader, (start, end)) for reader, (start, end, send_at) in zip(readers, weeks,
                                                                           strict=True)
            if reader.enrolled_at <= send_at and (reader.id, start) not in made]


async def make_weekly_digest(db: Database, config: Config, commissioner: Person,
                             period: tuple[datetime, datetime], now: datetime) -> bool:
    """Make one commissioner's weekly digest and queue it; False if made already."""
    start, end = period
    digest, html_path, csv_path = await make_digest(db, config, commissioner, start, end, now)
    if not await reporting.record_digest(db, commissioner_id=commissioner.id, start=start,
                                         end=end, html_path=html_path, csv_path=csv_path,
                                         now=now):
        return False
    await queue_digest(db, commissioner, digest, html_path, csv_path,
                       key=f"digest:{commissioner.id}:{start:%Y-%m-%d}", now=now)
    log.info("weekly digest made for commissioner %s: %s", commissioner.id, html_path)
    return True
