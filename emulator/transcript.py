"""A transcript of every chat, as each person saw it: what the bot sent (with its
buttons), how it changed a message, what the person wrote and which button they tapped,
with the time on their phone. Written as Markdown, chat by chat."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from carebot.emulator.server import BotApiEmulator, Chat


def _quoted(words: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in words.splitlines())


def chat_markdown(chat: Chat, title: str, zone: ZoneInfo) -> str:
    name = chat.user.get("first_name", "them")
    parts = [f"## {title}\n"]
    for line in chat.lines:
        when = datetime.fromtimestamp(line.at, zone)
        who = "carebot" if line.from_bot else name
        parts.append(f"**{when:%a %d %b %H:%M}, {who}**\n\n{_quoted(line.words)}\n")
    return "\n".join(parts)


def transcript_markdown(emulator: BotApiEmulator, titles: Mapping[int, str], heading: str,
                        timezone: str = "Europe/London") -> str:
    """Every chat that has something in it; `titles` names chats (others by first name),
    and gives the order: titled chats first, in the order given."""
    zone = ZoneInfo(timezone)
    chats = [chat for chat in emulator.chats.values() if chat.lines]
    order = {chat_id: n for n, chat_id in enumerate(titles)}
    chats.sort(key=lambda chat: (order.get(chat.chat_id, len(order)), chat.chat_id))
    sections = [chat_markdown(chat, titles.get(chat.chat_id, chat.user.get("first_name", "?")),
                              zone) for chat in chats]
    return f"# {heading}\n\n" + "\n".join(sections)
