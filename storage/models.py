"""The plain records and kinds carebot speaks of (a person, an issue, a role, an issue's
status), read from the database so the rest of carebot never sees a raw row. No SQL and
no imports of carebot's own: a part of its own that every other part may use, the care
rules included."""

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


PEOPLE_ROLES = frozenset({Role.PERSON, Role.CARER})  # people who draw on care, and carers
STAFF_ROLES = frozenset(Role) - PEOPLE_ROLES


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


class IssueKind(StrEnum):
    PROBLEM = "problem"
    COMPLIMENT = "compliment"
    IDEA = "idea"


class IssueStatus(StrEnum):
    OPEN = "open"
    SEEN = "seen"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED_NO_ACTION = "closed_no_action"  # with the reason in its update's note


class TagKind(StrEnum):
    SENTIMENT = "sentiment"
    THEME = "theme"
    RISK = "risk"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"    # gave up
    BLOCKED = "blocked"  # the person blocked the bot


class Purpose(StrEnum):
    """Why an outbox message is sent; the sender builds check-in messages when they go."""

    CHECKIN_START = "checkin_start"
    CHECKIN_REMINDER = "checkin_reminder"
    ALERT = "alert"
    TALK_REQUEST = "talk_request"
    DIGEST = "digest"
    DIGEST_FILE = "digest_file"
    ISSUE_NEWS = "issue_news"      # to the person who raised an issue: it moved on
    ISSUE_NOTICE = "issue_notice"  # to staff: a new problem, or one opened again
    ACTION = "action"              # "you said, we did", to the people of a service
    REPLY = "reply"  # an answer to what a person just did: written, then sent at once


class AlertKind(StrEnum):
    SAFEGUARDING = "safeguarding"
    TALK = "talk"  # "talk to a person": chased the same way


class AlertOutcome(StrEnum):
    """What the person who acted on an alert said they did."""

    DEALING = "dealing"
    CONTACTED = "contacted"
    NOT_A_CONCERN = "not_a_concern"  # with a reason


class DraftPurpose(StrEnum):
    """What a member of staff is typing a note for."""

    RESOLVE = "resolve"              # closing an issue: what was done
    CLOSE = "close"                  # closing an issue with no change: why
    ALERT_NOTE = "alert_note"        # a note on an alert they are dealing with
    NOT_A_CONCERN = "not_a_concern"  # why an alert is not a concern
    ACTION = "action"                # "you said, we did": what was done
    MESSAGE = "message"              # to the person an alert is about, through carebot
    READ_CONCERN = "read_concern"    # a reader's safeguarding concern about what they read


class EventKind(StrEnum):
    """What the event log records: what happened that is not an answer."""

    ENROLLED = "enrolled"
    BAD_INVITE_CODE = "bad_invite_code"
    CONSENT_GIVEN = "consent_given"
    CONSENT_DECLINED = "consent_declined"
    CAME_BACK = "came_back"
    NOT_ENROLLED = "not_enrolled"
    AFTER_STOP = "after_stop"
    NOT_AUTHORISED = "not_authorised"
    BLOCKED = "blocked"  # Telegram said the person blocked the bot
    UNBLOCKED = "unblocked"
    EDITED_COMMAND = "edited_command"  # not run again
    CHECKIN_NOT_NOW = "checkin_not_now"
    SCHEDULE_SET = "schedule_set"
    PAUSED = "paused"
    RESUMED = "resumed"
    STOPPED = "stopped"
    ISSUE_RAISED = "issue_raised"
    TALK_REQUEST = "talk_request"
    ALERT_ACKNOWLEDGED = "alert_acknowledged"
    ALERT_MESSAGE = "alert_message"  # staff wrote to the person through carebot
    ALERT_RELEASED = "alert_released"  # the provider may see words accusing its staff
    MYDATA = "mydata"
    FORGOTTEN = "forgotten"
    WORDS_REMOVED_BY_AGE = "words_removed_by_age"  # retention: how many of each kind
    FORGED_BUTTON = "forged_button"
    EDITED_MESSAGE = "edited_message"
    MEDIA_RECEIVED = "media_received"
    UNKNOWN_COMMAND = "unknown_command"
    HANDLER_ERROR = "handler_error"
    SET_ASIDE = "set_aside"  # a record the periodic job kept failing on
    DUTY_CONTACT_LEFT = "duty_contact_left"  # their services' alerts may reach nobody


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
    backup_contact_id: int | None = None
    cqc_location_id: str | None = None  # the Care Quality Commission's, '1-101234567'
    ods_code: str | None = None         # the NHS Organisation Data Service's
    closed_at: datetime | None = None   # closed: no new invites, its history kept


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
    cares_for_id: int | None = None
    issue_notices: str = "each"   # each | daily: how a provider hears of new problems
    issue_summary_at: datetime | None = None  # when their last daily summary was made
    digest_weekday: int | None = None  # the day their digest comes (None: the usual day)
    admin_stopped_at: datetime | None = None  # paused or left: /start does not undo it
    language: str | None = None  # ISO 639-1; None: not chosen (carebot's own language)
    easy_read: bool = False  # check-ins in easy read: short, three answers with pictures


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
    kind: IssueKind | None  # None until the person says
    text: str
    status: IssueStatus
    created_at: datetime
    updated_at: datetime | None = None
    forwarded: bool = False  # someone else's words, passed on by the person
    forwarded_from: str | None = None  # who they came from, while the words are kept


@dataclass(frozen=True)
class Buttons:
    """What a message's buttons are for, as a rule decides it: a kind ("alert"), the
    record they act on (alert 17) and the kind's options, in order. The bot builds the
    keyboard from this when the message is sent (bot/keyboards.py)."""

    kind: str
    of: int
    options: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Each word is kept between spaces: one with a space in it, or none, would come
        back as something else."""
        if any(not word or any(c.isspace() for c in word) for word in (self.kind, *self.options)):
            raise ValueError(f"buttons' kind and options are single words: {self!r}")

    def stored(self) -> str:
        """As kept in the outbox: "alert 17 dealing contacted"."""
        return " ".join((self.kind, str(self.of), *self.options))

    @classmethod
    def from_stored(cls, value: str | None) -> Buttons | None:
        if not value:
            return None
        kind, of, *options = value.split(" ")
        return cls(kind, int(of), tuple(options))


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    chat_id: int
    person_id: int | None
    purpose: Purpose
    text: str | None
    reply_markup: str | None
    buttons: Buttons | None
    document_path: str | None
    checkin_id: int | None
    attempts: int
    created_at: str  # as stored: with the id, what finds this row in a restored copy


@dataclass(frozen=True)
class TagRecord:
    """One tag as stored."""

    kind: TagKind
    value: str
    score: float | None
    evidence: str | None
