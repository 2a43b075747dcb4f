"""Plain records read from the database; the rest of carebot never sees a raw row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    PERSON = "person"
    CARER = "carer"
    PROVIDER = "provider"
    COMMISSIONER = "commissioner"
    DUTY_CONTACT = "duty_contact"
    BOARD_MEMBER = "board_member"
    ADMIN = "admin"


class PersonStatus(StrEnum):
    AWAITING_CONSENT = "awaiting_consent"
    ACTIVE = "active"
    DECLINED = "declined"
    STOPPED = "stopped"
    BLOCKED = "blocked"
    FORGOTTEN = "forgotten"


class CheckInStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EXPIRED = "expired"
    MISSED = "missed"


@dataclass(frozen=True)
class Organisation:
    id: int
    kind: str
    name: str


@dataclass(frozen=True)
class Service:
    id: int
    council_id: int
    provider_id: int
    name: str
    kind: str
    provider_name: str
    duty_contact_id: int | None


@dataclass(frozen=True)
class Person:
    id: int
    role: Role
    display_name: str
    organisation_id: int | None
    service_id: int | None
    telegram_user_id: int | None
    chat_id: int | None
    status: PersonStatus
    enrolled_at: datetime


@dataclass(frozen=True)
class Schedule:
    id: int
    person_id: int
    frequency: str
    weekday: int
    time_window: str
    timezone: str
    next_due_at: datetime
    paused_until: datetime | None
    active: bool


@dataclass(frozen=True)
class CheckIn:
    id: int
    person_id: int
    service_id: int
    schedule_id: int | None
    due_at: datetime
    questions: str
    status: CheckInStatus
    step: int
    message_id: int | None
    helped_by: str | None
    reminded_at: datetime | None


@dataclass(frozen=True)
class Issue:
    id: int
    reference: str
    raised_by_id: int
    service_id: int
    kind: str
    text: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    chat_id: int
    person_id: int | None
    purpose: str
    text: str | None
    reply_markup: str | None
    document_path: str | None
    checkin_id: int | None
    attempts: int


@dataclass(frozen=True)
class TagRecord:
    """One tag as stored; `kind` is sentiment, theme or risk."""

    kind: str
    value: str
    score: float | None
    evidence: str | None
