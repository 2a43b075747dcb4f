"""Simulated people on the emulator: they type, tap buttons, send photos and read replies."""

from __future__ import annotations

import itertools
import re
from typing import Any

from emulator.server import BotApiEmulator, BotMessage, Chat

_file_ids = itertools.count(1)

# What Telegram sends for each kind of non-text message (the parts PTB needs).
def _media(kind: str) -> dict[str, Any]:
    n = next(_file_ids)
    file_ids = {"file_id": f"{kind}-{n}", "file_unique_id": f"u-{kind}-{n}"}
    shapes: dict[str, dict[str, Any]] = {
        "photo": {"photo": [{**file_ids, "width": 640, "height": 480, "file_size": 40000}]},
        "sticker": {"sticker": {**file_ids, "type": "regular", "width": 512, "height": 512,
                                "is_animated": False, "is_video": False, "emoji": "👍"}},
        "voice": {"voice": {**file_ids, "duration": 4, "mime_type": "audio/ogg"}},
        "video": {"video": {**file_ids, "width": 640, "height": 360, "duration": 5}},
        "document": {"document": {**file_ids, "file_name": "letter.pdf"}},
        "location": {"location": {"latitude": 52.95, "longitude": -1.15}},
        "contact": {"contact": {"phone_number": "+447700900123", "first_name": "Jo"}},
    }
    return shapes[kind]


MEDIA_KINDS = ("photo", "sticker", "voice", "video", "document", "location", "contact")


class SimulatedPerson:
    """One Telegram user in a private chat with the bot."""

    def __init__(self, emulator: BotApiEmulator, user_id: int, first_name: str) -> None:
        self.emulator = emulator
        self.user: dict[str, Any] = {
            "id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en",
        }
        self.chat = emulator.chat_for(self.user)
        self.sent: list[dict[str, Any]] = []

    @property
    def id(self) -> int:
        return int(self.user["id"])

    # ----- acting --------------------------------------------------------------------

    def send_text(self, text: str, chat: Chat | None = None) -> dict[str, Any]:
        """Type `text` in the private chat with the bot, or in a group or channel."""
        message = self.emulator.user_message(self.user, chat, text=text)
        self.sent.append(message)
        return message

    def send_command(self, command: str, argument: str = "",
                     chat: Chat | None = None) -> dict[str, Any]:
        word = command if command.startswith("/") else f"/{command}"
        text = f"{word} {argument}".strip()
        entity = {"type": "bot_command", "offset": 0, "length": len(word)}
        message = self.emulator.user_message(self.user, chat, text=text, entities=[entity])
        self.sent.append(message)
        return message

    def send_media(self, kind: str, caption: str | None = None,
                   chat: Chat | None = None) -> dict[str, Any]:
        content = _media(kind)
        if caption is not None:
            content["caption"] = caption
        message = self.emulator.user_message(self.user, chat, **content)
        self.sent.append(message)
        return message

    def edit(self, message: dict[str, Any], text: str) -> None:
        self.emulator.user_edit(self.user, message, text)

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

    def block_bot(self) -> None:
        self.chat.blocked = True

    def unblock_bot(self) -> None:
        self.chat.blocked = False

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
