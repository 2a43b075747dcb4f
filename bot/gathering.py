"""One message as the person meant it, from the parts Telegram brings apart (issue 27).

An album of photos or files arrives as one message each, sharing a `media_group_id`,
the caption (if any) on one of them. A paste longer than Telegram's 4,096 characters is
split by the app into parts of at most 4,096, sent back to back: each part but the last
is cut at the last line break in the second half of the limit, else at the last space
there, else at the limit, and Telegram trims the whitespace at the cut. Handled part by
part, an album's caption became feedback with its first photo only, and each other
photo got "I cannot look at photos"; a paste made an issue per part, asked twice what
kind it was, and said twice that it was long.

So the first part waits, briefly, for the rest, and the parts are handed to the
handlers as ONE message (`merged`): the first part's, with every caption or text joined
and every photo's or file's id kept (`media_in`). Only a part ever waits: a message that
is neither in an album nor over half the limit goes straight on.

Which parts belong together is decided from what Telegram sent (the album's id; the
paste's lengths, sender and send times), not from when they happened to arrive, so that
after a crash the parts handled again (bot/inbox.py) make the same one message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from telegram import Message, MessageEntity, Update

from carebot.conversations import fitting

log = logging.getLogger(__name__)

# Telegram's longest text; a paste is cut into parts no longer than this.
MOST_CHARACTERS = fitting.TEXT_LIMIT
# A text this long (in UTF-16 units, as Telegram counts) may be a part the app cut from a
# paste: it cuts in the second half of the limit.
MAY_BE_CUT = MOST_CHARACTERS // 2
# The parts of a paste are sent one straight after another: dated at most this far apart.
PASTE_GAP_SECONDS = 2
# How long the first part waits for another, from the last one that came. An album's
# parts come together; a paste's are sent one by one, each after the one before.
ALBUM_QUIET_SECONDS = 1.0
PASTE_QUIET_SECONDS = 2.5
LONGEST_WAIT_SECONDS = 10.0  # however many parts are still coming
MOST_ALBUM_PARTS = 10  # Telegram's most in one album
MOST_PASTE_PARTS = 16  # 65,536 characters: more is not one paste

# Where a merged message keeps every part's photo or file (PTB keeps a key it does not
# know in the message's `api_kwargs`).
_MEDIA_KEY = "carebot_media"
# The kinds of photo or file a message can bring, in the order they are looked for (a GIF
# comes as both an animation and a document: it is kept as the document).
MEDIA_KINDS = ("photo", "video", "document", "voice", "audio", "animation", "video_note",
               "sticker")


class Kind(Enum):
    ALBUM = "album"
    PASTE = "paste"


@dataclass(frozen=True)
class Media:
    """A photo or file a person sent: which kind, and its Telegram file id."""

    kind: str
    file_id: str


def media_in(message: Message) -> list[Media]:
    """Every photo or file `message` brings, in the order sent: all of an album's, or the
    message's own (a photo's largest size), or none."""
    kept = message.api_kwargs.get(_MEDIA_KEY)
    if isinstance(kept, list):
        return [Media(str(item["kind"]), str(item["file_id"])) for item in kept]
    if message.photo:
        return [Media("photo", message.photo[-1].file_id)]
    for kind in MEDIA_KINDS[1:]:
        if (attachment := getattr(message, kind)) is not None:
            return [Media(kind, attachment.file_id)]
    return []


def first_part(update: object) -> Kind | None:
    """What `update` may be the first part of: an album, a paste, or nothing (most
    updates: they never wait)."""
    message = update.message if isinstance(update, Update) else None
    if message is None:
        return None
    if message.media_group_id is not None:
        return Kind.ALBUM
    if _may_be_cut(message) and message.forward_origin is None and not _command(message):
        return Kind.PASTE
    return None


def parts_after(kind: Kind, first: Update, later: Sequence[Update]) -> tuple[list[Update], bool]:
    """Which of the chat's `later` updates (in the order they came) are `first`'s other
    parts, and whether that is all of them (True: nothing more is waited for)."""
    if kind is Kind.ALBUM:
        return _album_parts(first, later)
    return _paste_parts(first, later)


def _album_parts(first: Update, later: Sequence[Update]) -> tuple[list[Update], bool]:
    """The updates with the same `media_group_id`. The album is whole once something
    else from the chat came after it: Telegram brings an album's parts together."""
    assert first.message is not None
    group = first.message.media_group_id
    parts = [update for update in later
             if update.message is not None and update.message.media_group_id == group]
    something_else = any(update.message is None or update.message.media_group_id != group
                         for update in later)
    whole = something_else or len(parts) + 1 >= MOST_ALBUM_PARTS
    return parts[:MOST_ALBUM_PARTS - 1], whole


def _paste_parts(first: Update, later: Sequence[Update]) -> tuple[list[Update], bool]:
    """The texts that come straight after, each sent within seconds of the one before:
    every part but the last is over half the limit, so the paste ends at a shorter part,
    or at an update that cannot be its part."""
    parts: list[Update] = []
    previous = first.message
    assert previous is not None
    for update in later:
        if not _continues(previous, update.message):
            return parts, True
        parts.append(update)
        previous = update.message
        assert previous is not None
        if not _may_be_cut(previous) or len(parts) + 1 >= MOST_PASTE_PARTS:
            return parts, True
    return parts, False


def _continues(previous: Message, message: Message | None) -> bool:
    """`message` is the next part of a paste whose part before it is `previous`: plain
    text from the same person, sent straight after, not a reply to something else."""
    return (message is not None and message.text is not None
            and message.media_group_id is None and message.forward_origin is None
            and not _command(message)
            and _sender(message) == _sender(previous)
            and 0 <= (message.date - previous.date).total_seconds() <= PASTE_GAP_SECONDS
            and (message.reply_to_message is None or previous.reply_to_message is None
                 or message.reply_to_message.message_id
                 == previous.reply_to_message.message_id))


def merged(parts: Sequence[Update]) -> Update:
    """ONE update with one message made of `parts` (the first part's update and message,
    so its id is the one an update handled again after a crash is known by): its texts
    or captions joined, each's entities moved to where its words now are, and, for an
    album, every part's photo or file kept (`media_in`)."""
    first = parts[0]
    assert first.message is not None
    messages = [part.message for part in parts if part.message is not None]
    body = first.message.to_dict()
    if first.message.media_group_id is not None:
        field, entities_field = "caption", "caption_entities"
        body[_MEDIA_KEY] = [{"kind": media.kind, "file_id": media.file_id}
                            for message in messages for media in media_in(message)]
    else:
        field, entities_field = "text", "entities"
    pieces = [(getattr(message, field), getattr(message, entities_field))
              for message in messages if getattr(message, field)]
    body.pop(field, None)
    body.pop(entities_field, None)
    if pieces:
        words, entities = _joined(pieces, field == "text")
        body[field] = words
        if entities:
            body[entities_field] = entities
    return Update.de_json({"update_id": first.update_id, "message": body}, first.get_bot())


def _joined(pieces: Sequence[tuple[str, Sequence[MessageEntity]]],
            paste: bool) -> tuple[str, list[dict[str, Any]]]:
    """The words of `pieces` as one, with their entities moved along (Telegram counts
    offsets in UTF-16 units). A paste's parts are joined as they were cut (`_between`).
    Captions each keep a line of their own."""
    words = previous = ""
    entities: list[dict[str, Any]] = []
    for said, marks in pieces:
        if words:
            words += _between(previous, said) if paste else "\n"
        previous = said
        shift = fitting.length(words)
        entities.extend({**mark.to_dict(), "offset": mark.offset + shift} for mark in marks)
        words += said
    return words, entities


def _between(before: str, after: str) -> str:
    """What the app's cut between two parts of a paste took out: nothing where it cut at
    the limit (mid-word: there was no space to cut at) or kept the whitespace; a line
    break where the part before has one in its second half (the app cuts at the last
    line break there, if any); else a space. Only where a line break was the only one in
    that half does a space stand for it, and two line breaks become one."""
    if fitting.length(before) >= MOST_CHARACTERS or before[-1:].isspace() or after[:1].isspace():
        return ""
    return "\n" if "\n" in _after_units(before, MAY_BE_CUT) else " "


def _may_be_cut(message: Message) -> bool:
    return message.text is not None and fitting.length(message.text) > MAY_BE_CUT


def _command(message: Message) -> bool:
    return any(entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0
               for entity in message.entities)


def _sender(message: Message) -> int | None:
    return None if message.from_user is None else message.from_user.id


def _after_units(words: str, units: int) -> str:
    """What follows the first `units` UTF-16 units of `words`."""
    return words.encode("utf-16-le", "surrogatepass")[2 * units:].decode(
        "utf-16-le", "surrogatepass") if fitting.length(words) > units else ""


@dataclass(eq=False)
class Arrival:
    """An update of a chat that came and is not handled yet; `taken` once an earlier
    part took it into its message (it is then handled, and marked so, with that one)."""

    update: Update
    taken: bool = False


class Arrivals:
    """Each chat's updates in the order they came, from their arrival until they are
    handled, so that the first part of an album or a paste can take its other parts."""

    def __init__(self) -> None:
        self._chats: dict[int, list[Arrival]] = {}
        self._news: dict[int, asyncio.Event] = {}

    def came(self, chat_id: int, update: Update) -> Arrival:
        arrival = Arrival(update)
        self._chats.setdefault(chat_id, []).append(arrival)
        if (news := self._news.get(chat_id)) is not None:
            news.set()
        return arrival

    def gone(self, chat_id: int, arrival: Arrival) -> None:
        waiting = self._chats[chat_id]
        waiting.remove(arrival)
        if not waiting:
            del self._chats[chat_id]

    async def parts(self, chat_id: int, arrival: Arrival) -> list[Update]:
        """`arrival`'s update and, if it is the first part of an album or a paste, its
        other parts: those already here, and those that come while it waits, until the
        parts are whole, or none came for a moment, or it has waited long enough. The
        other parts are `taken`."""
        kind = first_part(arrival.update)
        if kind is None:
            return [arrival.update]
        quiet = ALBUM_QUIET_SECONDS if kind is Kind.ALBUM else PASTE_QUIET_SECONDS
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LONGEST_WAIT_SECONDS
        while True:
            later = self._after(chat_id, arrival)
            parts, whole = parts_after(kind, arrival.update, [a.update for a in later])
            left = deadline - loop.time()
            if whole or left <= 0 or not await self._news_for(chat_id, min(quiet, left)):
                break
        for other in later:
            other.taken = any(other.update is part for part in parts)
        if parts:
            log.info("update %s: %s parts of %s taken as one message", arrival.update.update_id,
                     len(parts) + 1, "an album" if kind is Kind.ALBUM else "a paste")
        return [arrival.update, *parts]

    def _after(self, chat_id: int, arrival: Arrival) -> list[Arrival]:
        waiting = self._chats[chat_id]
        return [a for a in waiting[waiting.index(arrival) + 1:] if not a.taken]

    async def _news_for(self, chat_id: int, timeout: float) -> bool:
        """Wait up to `timeout` seconds for another update from the chat; False if none
        came."""
        news = self._news[chat_id] = asyncio.Event()
        try:
            await asyncio.wait_for(news.wait(), timeout)
        except TimeoutError:
            return False
        finally:
            del self._news[chat_id]
        return True
