"""Simulated people on the emulator: they type, tap buttons, send photos and read replies,
and do what real people do besides: reply to an old message, forward someone else's,
send an album, pin, set messages to delete themselves, delete the bot's message, block
and unblock it, paste more than one message holds, edit words or a caption."""

from __future__ import annotations

import itertools
import re
from typing import Any

from carebot.emulator.server import (
    BOT_USER,
    CAPTIONED_KINDS,
    MAX_TEXT,
    BotApiEmulator,
    BotMessage,
    Chat,
    utf16_length,
)

_file_ids = itertools.count(1)
_album_ids = itertools.count(13_000_000_000_000_000)
MAX_NAME = 64  # Telegram's limit for a first name, and for a last name

ORIGINS = ("user", "hidden_user", "chat", "channel")
"""Where a forwarded message came from (Bot API 7's MessageOrigin kinds)."""


# What Telegram sends for each kind of non-text message (the parts PTB needs); `details`
# change the media's fields (a photo's largest size), e.g. duration=12 or file_name="x".
def _media(kind: str, **details: Any) -> dict[str, Any]:
    if kind not in MEDIA_KINDS:
        raise ValueError(f"a person sends one of {MEDIA_KINDS}, not {kind!r}")
    n = next(_file_ids)
    file_ids = {"file_id": f"{kind}-{n}", "file_unique_id": f"u-{kind}-{n}"}
    shapes: dict[str, dict[str, Any]] = {
        "photo": {"photo": [{**file_ids, "width": 640, "height": 480, "file_size": 40000}]},
        "sticker": {"sticker": {**file_ids, "type": "regular", "width": 512, "height": 512,
                                "is_animated": False, "is_video": False, "emoji": "👍"}},
        "voice": {"voice": {**file_ids, "duration": 4, "mime_type": "audio/ogg",
                            "file_size": 9000}},
        "video": {"video": {**file_ids, "width": 640, "height": 360, "duration": 5}},
        "video_note": {"video_note": {**file_ids, "length": 384, "duration": 8,
                                      "file_size": 600000}},
        "audio": {"audio": {**file_ids, "duration": 95, "file_name": "recording.m4a",
                            "mime_type": "audio/mp4", "file_size": 800000}},
        "document": {"document": {**file_ids, "file_name": "letter.pdf",
                                  "mime_type": "application/pdf", "file_size": 52000}},
        "location": {"location": {"latitude": 52.95, "longitude": -1.15}},
        "contact": {"contact": {"phone_number": "+447700900123", "first_name": "Jo"}},
    }
    # A GIF comes with a document too, for old clients (as the Bot API says).
    gif = {**file_ids, "width": 320, "height": 240, "duration": 3, "file_name": "clip.mp4",
           "mime_type": "video/mp4"}
    shapes["animation"] = {"animation": gif, "document": {
        key: gif[key] for key in ("file_id", "file_unique_id", "file_name", "mime_type")}}
    shape = shapes[kind]
    media = shape[kind]
    target = media[-1] if isinstance(media, list) else media
    target.update(details)
    if kind == "animation":
        shape["document"].update({key: value for key, value in details.items()
                                  if key in ("file_name", "mime_type")})
    return shape


MEDIA_KINDS = ("photo", "sticker", "voice", "video", "video_note", "audio", "animation",
               "document", "location", "contact")
ALBUM_KINDS = ("photo", "video", "document")  # what an album may hold


def split_paste(text: str, limit: int = MAX_TEXT) -> list[str]:
    """A long paste as the apps send it: parts of at most `limit` (in UTF-16 units, as
    Telegram counts), each cut at the last line break in the second half of the part if
    there is one, else at the last space there, else at the limit; Telegram trims each
    part's ends."""
    parts: list[str] = []
    rest = text.strip()
    while utf16_length(rest) > limit:
        room = _chars_within(rest, limit)
        window = rest[:room]
        cut = max(window.rfind("\n", room // 2), 0) or max(window.rfind(" ", room // 2), 0)
        cut = cut or room
        parts.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    return [*parts, rest] if rest else parts


def _chars_within(text: str, limit: int) -> int:
    """How many characters from the start of `text` fit in `limit` UTF-16 units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def _with_commands(content: dict[str, Any]) -> dict[str, Any]:
    """Telegram marks each /command in a text as a bot_command entity, whoever typed it;
    entities given are kept as they are."""
    text = content.get("text")
    if text is None or content.get("entities") is not None:
        return content
    found = [{"type": "bot_command", "offset": utf16_length(text[:match.start()]),
              "length": utf16_length(match.group())}
             for match in re.finditer(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@\w+)?", text)]
    return {**content, "entities": found} if found else content


def _origin(kind: str, name: str, date: int) -> dict[str, Any]:
    """A MessageOrigin of `kind`, from someone (or some chat) called `name`."""
    if kind == "user":
        return {"type": "user", "date": date,
                "sender_user": {"id": 5_550_001, "is_bot": False, "first_name": name}}
    if kind == "hidden_user":  # someone whose privacy settings hide their account
        return {"type": "hidden_user", "date": date, "sender_user_name": name}
    if kind == "chat":  # an anonymous group admin, posting as the group
        return {"type": "chat", "date": date, "sender_chat": {
            "id": -1_001_555_000_001, "type": "supergroup", "title": name}}
    if kind == "channel":
        return {"type": "channel", "date": date, "message_id": 42, "chat": {
            "id": -1_001_555_000_002, "type": "channel", "title": name}}
    raise ValueError(f"a forward's origin is one of {ORIGINS}, not {kind!r}")


class SimulatedPerson:
    """One Telegram user in a private chat with the bot."""

    def __init__(self, emulator: BotApiEmulator, user_id: int, first_name: str, *,
                 last_name: str | None = None, username: str | None = None,
                 language_code: str | None = "en") -> None:
        """No last name and no username unless given, as many people have. A first and a
        last name are each at most 64 characters on Telegram (its apps take no more), so
        longer ones are cut there: the bot never sees more."""
        if not first_name:
            raise ValueError("a Telegram user always has a first name")
        self.emulator = emulator
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False,
                                     "first_name": first_name[:MAX_NAME]}
        optional = {"last_name": (last_name or "")[:MAX_NAME], "username": username,
                    "language_code": language_code}
        self.user.update({key: value for key, value in optional.items() if value})
        self.chat = emulator.chat_for(self.user)
        self.sent: list[dict[str, Any]] = []

    @property
    def id(self) -> int:
        return int(self.user["id"])

    # ----- acting --------------------------------------------------------------------

    def send_text(self, text: str, chat: Chat | None = None,
                  entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Type `text` in the private chat with the bot, or in a group or channel. Any
        language, right to left too; Telegram marks /commands in it as entities."""
        return self._send(chat, text=text, entities=entities)

    def send_command(self, command: str, argument: str = "",
                     chat: Chat | None = None) -> dict[str, Any]:
        word = command if command.startswith("/") else f"/{command}"
        return self.send_text(f"{word} {argument}".strip(), chat)

    def send_media(self, kind: str, caption: str | None = None,
                   chat: Chat | None = None, **details: Any) -> dict[str, Any]:
        """Send a photo, voice note, video, round video message ("video_note"), audio
        file, GIF ("animation"), file ("document"), sticker, location or contact (see
        MEDIA_KINDS), with a caption if given (a sticker, video message, location or
        contact cannot have one on Telegram: ValueError). `details` change the media's fields:
        `send_media("video_note", duration=12)`, `send_media("document",
        file_name="rota.xlsx")`. Each file gets its own file id."""
        if caption is not None and kind not in CAPTIONED_KINDS:
            raise ValueError(f"a {kind} has no caption on Telegram")
        content = _media(kind, **details)
        if caption is not None:
            content["caption"] = caption
        return self._send(chat, **content)

    def edit(self, message: dict[str, Any], text: str | None = None, *,
             entities: list[dict[str, Any]] | None = None, caption: str | None = None,
             caption_entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Change a message sent earlier: its words (with new entities, or none), or the
        caption of a photo or file, which keeps its media. Returns the edited message."""
        changes = _with_commands({"text": text, "entities": entities, "caption": caption,
                                  "caption_entities": caption_entities})
        return self.emulator.user_edit(self.user, message, **changes)

    def _send(self, chat: Chat | None = None, **content: Any) -> dict[str, Any]:
        content = _with_commands({k: v for k, v in content.items() if v is not None})
        message = self.emulator.user_message(self.user, chat, **content)
        self.sent.append(message)
        return message

    def _quoted(self, message: BotMessage | dict[str, Any]) -> dict[str, Any]:
        """A message as Telegram quotes it inside another: whole, but never nesting what
        it replied to."""
        body = (self.emulator.message_json(message) if isinstance(message, BotMessage)
                else dict(message))
        body.pop("reply_to_message", None)
        return body

    def reply(self, to: BotMessage | dict[str, Any], text: str) -> dict[str, Any]:
        """Swipe to reply to a message (the bot's, or one of theirs) and type `text`."""
        return self._send(text=text, reply_to_message=self._quoted(to))

    def forward(self, text: str, origin: str = "user", name: str = "Alex",
                sent_at: int | None = None) -> dict[str, Any]:
        """Forward someone else's message into the chat with the bot: `origin` says who
        wrote it (see ORIGINS), `sent_at` when (default: an hour ago)."""
        date = sent_at if sent_at is not None else int(self.emulator.now()) - 3600
        return self._send(text=text, forward_origin=_origin(origin, name, date))

    def forward_from_bot(self, message: BotMessage) -> dict[str, Any]:
        """Forward one of the bot's own messages back to it."""
        return self._send(text=message.text or message.caption or "",
                          forward_origin={"type": "user", "date": message.date,
                                          "sender_user": BOT_USER})

    def send_album(self, kinds: tuple[str, ...] = ("photo", "photo", "photo"),
                   caption: str | None = None) -> list[dict[str, Any]]:
        """Several photos (or videos, or files) sent together: one message each, sharing
        a media_group_id, the caption on the first only, arriving back to back."""
        if not 2 <= len(kinds) <= 10 or any(kind not in ALBUM_KINDS for kind in kinds):
            raise ValueError(f"an album is 2-10 of {ALBUM_KINDS}")
        group = str(next(_album_ids))
        return [self._send(**_media(kind), media_group_id=group,
                           caption=caption if n == 0 else None)
                for n, kind in enumerate(kinds)]

    def send_voice(self, duration: int = 4, mime_type: str = "audio/ogg",
                   file_size: int = 9000, caption: str | None = None) -> dict[str, Any]:
        """A voice note of `duration` seconds."""
        voice = {**_media("voice")["voice"], "duration": duration, "mime_type": mime_type,
                 "file_size": file_size}
        return self._send(voice=voice, caption=caption)

    def paste(self, text: str) -> list[dict[str, Any]]:
        """Paste `text`: beyond 4,096 characters the app sends it as several messages,
        back to back (see split_paste)."""
        return [self._send(text=part) for part in split_paste(text)]

    def pin(self, message: BotMessage | dict[str, Any]) -> dict[str, Any]:
        """Pin a message in the chat: Telegram sends a service message saying so."""
        pinned = self._quoted(message)
        self.chat.pinned = int(pinned["message_id"])
        return self._send(pinned_message=pinned)

    def set_auto_delete(self, seconds: int) -> dict[str, Any]:
        """Set messages in the chat to delete themselves after `seconds` (0: off); the
        apps offer a day, a week or a month. Telegram sends a service message."""
        if seconds < 0:
            raise ValueError("the auto-delete time is 0 (off) or more seconds")
        return self._send(message_auto_delete_timer_changed={
            "message_auto_delete_time": seconds})

    def delete(self, message: BotMessage | int) -> None:
        """Delete one of the bot's messages for both sides: the bot is not told."""
        message_id = message if isinstance(message, int) else message.message_id
        self.emulator.user_delete(self.user, message_id)

    def press(self, message: BotMessage | int, data: str) -> str:
        """Tap the button with callback data `data` (or send forged data) on a message."""
        message_id = message if isinstance(message, int) else message.message_id
        return self.emulator.user_press(self.user, message_id, data)

    def press_label(self, label: str, message: BotMessage | None = None) -> str:
        """Tap the button whose words are `label` (faces aside, any case) on the newest
        message showing it; failing an exact match, the first whose words contain it."""
        candidates = [message] if message else list(reversed(self.chat.messages))
        wanted = label.lower()

        def words(button: dict[str, Any]) -> str:
            return re.sub(r"^[^\w]+", "", str(button["text"])).strip().lower()

        for exact in (True, False):
            for candidate in candidates:
                for button in candidate.buttons():
                    found = words(button)
                    if found == wanted if exact else wanted in found:
                        return self.press(candidate, button["callback_data"])
        raise LookupError(f"no button labelled {label!r} in chat {self.id}")

    def block_bot(self, *, tell_bot: bool = True) -> None:
        """Block the bot: its sends fail with 403, and it is told (my_chat_member) unless
        `tell_bot` is False (the update not yet read when the bot next sends)."""
        self.emulator.user_blocks(self.user, True, tell_bot=tell_bot)

    def unblock_bot(self) -> None:
        """Unblock it (in the app, without writing): it is told (my_chat_member)."""
        self.emulator.user_blocks(self.user, False)

    # ----- reading -------------------------------------------------------------------

    @property
    def inbox(self) -> list[BotMessage]:
        return self.chat.messages

    @property
    def last(self) -> BotMessage:
        if not self.chat.messages:
            raise LookupError(f"the bot has sent nothing to chat {self.id}")
        return self.chat.messages[-1]

    def texts(self) -> list[str]:
        return [m.text or m.caption or "" for m in self.chat.messages]

    def received(self, kind: str | None = None) -> list[BotMessage]:
        """What the bot sent to this chat, oldest first; only messages of `kind` if given
        ("text", "photo", "voice", "document"…: `BotMessage.kind`)."""
        return [m for m in self.chat.messages if kind is None or m.kind == kind]

    def copies_of(self, message: dict[str, Any]) -> list[BotMessage]:
        """The bot's copies (copyMessage) in this chat of `message`, one someone sent
        (what `send_media`, `send_voice`, `send_text`… returned)."""
        original = (int(message["chat"]["id"]), int(message["message_id"]))
        return [m for m in self.chat.messages if m.copied_from == original]

    async def wait_for_messages(self, count: int, timeout: float = 10.0) -> list[BotMessage]:
        """Wait until the bot has sent at least `count` messages in this chat, in all."""
        reached = await self.emulator.wait_until(lambda: len(self.chat.messages) >= count,
                                                 timeout)
        if not reached:
            raise TimeoutError(
                f"chat {self.id}: wanted {count} messages, have {len(self.chat.messages)}: "
                f"{self.texts()}"
            )
        return self.chat.messages

    async def reply_to(self, action: Any, timeout: float = 10.0) -> BotMessage:
        """Do something, then wait for the bot's next new message and return it."""
        before = len(self.chat.messages)
        if callable(action):
            action()
        messages = await self.wait_for_messages(before + 1, timeout)
        return messages[before]
