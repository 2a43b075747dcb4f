"""A local Telegram Bot API: an aiohttp server on 127.0.0.1 that the real PTB Application
talks to over HTTP, so the demo and the tests need no token and no network.

It answers the methods carebot uses the way Telegram does (copyMessage too, for showing
staff what people sent: it keeps every message they send), checks every call against the
published specification (`spec.py`), can enforce Telegram's flood limits with 429 answers
(on sends, edits and answers to taps), and lets simulated people (`people.py`) send
messages and tap buttons. Where Telegram is less kind than a test double would be, it is
unkind too: taps expire, keyboards and captions have limits, a second long poll ends the
first with 409, updates nobody takes are gone after 24 hours, only the update kinds the
bot asked for arrive, and a webhook must be HTTPS on Telegram's ports.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from carebot.bot.flood import FloodLimits, SendWindow
from carebot.emulator.faults import ConnectionDroppedError, Fault, Faults, before_call
from carebot.emulator.spec import (
    CallError,
    UploadedFile,
    canonical_method,
    check_call,
    decode_params,
    load_spec,
    method_names,
)
from carebot.emulator.webhook_delivery import Webhook, WebhookQueue, WebhookRetry, WebhookSender

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_ANSWER_TEXT = 200
# Telegram does not document these; they are what bots meet (and PTB's constants say).
MAX_BUTTONS = 100
MAX_BUTTONS_A_ROW = 8
# A tap must be answered within seconds: Telegram forgets it after about 15 (reports vary
# from 10 to 30). Measured on the wall clock, since the phone's spinner is real time.
CALLBACK_EXPIRY_SECONDS = 15.0
# Telegram keeps an update nobody took for 24 hours, by its own clock.
UPDATE_LIFETIME_SECONDS = 24 * 3600
# Edits share Telegram's per-chat limit in spirit (about one a second) but may come in
# bursts of about 20 (what its staff quote for edits in a chat); counted apart from sends.
EDIT_BURST = 20
WEBHOOK_PORTS = (80, 88, 443, 8443)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "carebot",
    "username": "carebot_local_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
_EXPIRED_QUERY = ("Bad Request: query is too old and response timeout expired or query ID "
                  "is invalid")
_CONFLICT = ("Conflict: terminated by other getUpdates request; make sure that only one "
             "bot instance is running")
_MARKUP_TOO_LONG = "Bad Request: reply markup is too long"
_NOT_FOUND_TO_COPY = "Bad Request: message to copy not found"
# TDLib refuses a service message (a pin, a timer change…) as "Can't copy message", which
# the Bot API passes on with its first letter lowered (telegram-bot-api's Client.cpp).
_CANT_COPY = "Bad Request: can't copy message"
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)

Params = dict[str, Any]

# Every kind of update, from the specification; what a bot gets unless it says otherwise.
UPDATE_KINDS = frozenset(f["name"] for f in load_spec()["types"]["Update"]["fields"]) - {
    "update_id"}
DEFAULT_UPDATE_KINDS = UPDATE_KINDS - {"chat_member", "message_reaction",
                                       "message_reaction_count"}


# What a message is, in the Bot API's words: one of these fields says (a venue also has a
# location; an animation also has a document, for old clients). Only these are copied.
CONTENT_KINDS = ("text", "animation", "audio", "document", "photo", "sticker", "story",
                 "video", "video_note", "voice", "checklist", "contact", "dice", "game",
                 "poll", "venue", "location")
# What a copy carries besides: never who sent it, where it came from, what it replied to,
# its album or its buttons (copyMessage: "the copied message doesn't have a link to the
# original message").
_COPIED_TOO = ("entities", "link_preview_options", "caption_entities",
               "show_caption_above_media", "has_media_spoiler")
CAPTIONED_KINDS = frozenset({"animation", "audio", "document", "photo", "video", "voice"})


def utf16_length(text: str) -> int:
    """Telegram's measure of text: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def update_kind(update: dict[str, Any]) -> str:
    """"message", "callback_query"…: the one field besides update_id."""
    return next((key for key in update if key != "update_id"), "")


@dataclass
class BotMessage:
    """A message the bot sent to a chat, as it stands now (edits applied)."""

    message_id: int
    chat_id: int
    text: str | None
    reply_markup: dict[str, Any] | None
    date: int
    document: tuple[str, bytes] | None = None
    caption: str | None = None
    edits: list[str | None] = field(default_factory=list)
    # Content copied from another message (copyMessage), as the Bot API shows it: the
    # media with the same file ids, e.g. {"voice": {"file_id": ..., "duration": 12}}, and
    # the text's or caption's entities.
    content: dict[str, Any] = field(default_factory=dict)
    copied_from: tuple[int, int] | None = None  # (chat id, message id) of the original

    @property
    def kind(self) -> str:
        """What the message is: "text", "document" (a file sent), or what a copy is
        ("photo", "voice", "video_note", "location"…), as the Bot API's field says."""
        found = next((kind for kind in CONTENT_KINDS if kind in self.content), None)
        return found or ("document" if self.document is not None else "text")

    @property
    def file_id(self) -> str | None:
        """The file id of its media (a photo's largest size), if it has any."""
        media = self.content.get(self.kind)
        if isinstance(media, list) and media:  # a photo: its sizes, smallest first
            media = media[-1]
        if isinstance(media, dict) and "file_id" in media:
            return str(media["file_id"])
        return None if self.document is None else f"doc-{self.chat_id}-{self.message_id}"

    def button_rows(self) -> list[list[dict[str, Any]]]:
        if not self.reply_markup:
            return []
        rows: list[list[dict[str, Any]]] = self.reply_markup.get("inline_keyboard", [])
        return rows

    def buttons(self) -> list[dict[str, Any]]:
        return [button for row in self.button_rows() for button in row]


@dataclass(frozen=True)
class Line:
    """One thing seen in a chat, in order: what the bot sent or changed, what the person
    sent or tapped. For a transcript of the chat as the person saw it."""

    at: int
    from_bot: bool
    words: str


# How a transcript shows what a person did besides typing.
_DOINGS = {"reply_to_message": "(in reply)", "forward_origin": "(forwarded)",
           "pinned_message": "(pins a message)",
           "message_auto_delete_timer_changed": "(sets messages to delete themselves)"}
_UNSHOWN = ("text", "caption", "entities", "caption_entities", "media_group_id",
            "link_preview_options", "show_caption_above_media", "has_media_spoiler",
            "has_protected_content")


def _seconds(duration: Any) -> str:
    seconds = int(duration or 0)
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _media_words(kind: str, media: Any) -> str:
    """How a transcript shows a photo, a voice note, a file…: "[voice note, 12 s]"."""
    about: dict[str, Any] = media if isinstance(media, dict) else {}
    named = {
        "photo": "[photo]",
        "voice": f"[voice note, {_seconds(about.get('duration'))}]",
        "video": f"[video, {_seconds(about.get('duration'))}]",
        "video_note": f"[video message, {_seconds(about.get('duration'))}]",
        "animation": "[GIF]",
        "document": f"[file: {about.get('file_name', 'unnamed')}]",
        "audio": (f"[audio: {about['title']}, {_seconds(about.get('duration'))}]"
                  if about.get("title") else f"[audio, {_seconds(about.get('duration'))}]"),
        "sticker": f"[sticker {about.get('emoji', '')}]".replace(" ]", "]"),
        "location": "[location]",
        "venue": f"[place: {about.get('title', '')}]",
        "contact": f"[contact: {about.get('first_name', '')}]",
        "poll": f"[poll: {about.get('question', '')}]",
        "dice": f"[dice {about.get('emoji', '')}]",
    }
    return named.get(kind, f"[{kind}]")


def _line_of(content: dict[str, Any]) -> str:
    """A message as a transcript line: what kind it is, then its words."""
    said = content.get("text") or content.get("caption") or ""
    shown = [kind for kind in content if kind not in _UNSHOWN
             and not (kind == "location" and "venue" in content)
             and not (kind == "document" and "animation" in content)]
    marks = [_DOINGS.get(kind) or _media_words(kind, content[kind]) for kind in shown]
    return " ".join([*marks, str(said)]).strip()


def _labels(markup: dict[str, Any] | None) -> str:
    rows = [] if not markup else markup.get("inline_keyboard", [])
    return " ".join(f"[{button['text']}]" for row in rows for button in row)


@dataclass
class Chat:
    chat_id: int
    user: dict[str, Any]  # a private chat's person; for a group or channel, who made it
    messages: list[BotMessage] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    kind: str = "private"  # or "group", "supergroup", "channel"
    title: str = ""
    blocked: bool = False
    deleted: list[BotMessage] = field(default_factory=list)  # the person deleted them
    pinned: int | None = None  # the message the person pinned
    # What people sent in the chat, as the bot received it (edits applied), by message id:
    # what copyMessage copies from.
    received: dict[int, dict[str, Any]] = field(default_factory=dict)
    message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))


class BotApiEmulator:
    """One bot's view of Telegram. Start it, then point PTB's `base_url` at `base_url`."""

    def __init__(
        self,
        token: str,
        *,
        limits: FloodLimits | None = None,
        enforce_flood_limits: bool = False,
        clock: Callable[[], float] = time.time,
        faults: Sequence[Fault] = (),
        callback_expiry_seconds: float = CALLBACK_EXPIRY_SECONDS,
        allow_local_webhook: bool = False,
        webhook_retry: WebhookRetry | None = None,
    ) -> None:
        """`clock` dates messages and ages updates (a simulated clock may jump days);
        `allow_local_webhook` lets a webhook be plain http:// on any port of this machine
        (127.0.0.1, localhost, ::1), which Telegram would refuse, for local tests."""
        self.token = token
        self.limits = limits or FloodLimits()
        self.enforce_flood_limits = enforce_flood_limits
        self.callback_expiry_seconds = callback_expiry_seconds
        self.allow_local_webhook = allow_local_webhook
        self.webhook_retry = webhook_retry or WebhookRetry()
        self._clock = clock
        self.chats: dict[int, Chat] = {}
        self.calls: Counter[str] = Counter()
        self.bad_calls: list[tuple[str, str]] = []
        self.flood_breaches = 0  # sends only, as ever: the benchmarks count these
        self.edit_breaches = 0
        self.answer_breaches = 0
        self.arrivals: list[float] = []  # when each new message arrived (monotonic seconds)
        self.faults = Faults(rules=list(faults))
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.photos: dict[str, bytes] = {}  # file id -> the picture uploaded
        self.callback_answers: dict[str, Params] = {}
        self._updates: list[dict[str, Any]] = []
        self._pushed_at: dict[int, float] = {}  # update_id: when, by `clock`
        # Updates the bot has told Telegram it took (getUpdates past them, or a webhook's
        # 2xx), which Telegram will not send again.
        self.confirmed_updates = 0
        self.expired_updates = 0  # not taken within 24 hours, or given up by the webhook
        self.filtered_updates = 0  # of a kind the bot did not ask for
        self.allowed_updates = DEFAULT_UPDATE_KINDS
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._open_callbacks: dict[str, float] = {}  # query id: when tapped (monotonic)
        self._releases = 0
        self._polls = 0  # getUpdates calls so far: a newer one ends an older one's wait
        self._changed = asyncio.Condition()
        self._overall = SendWindow(self.limits.overall, self.limits.seconds)
        self._per_chat: dict[int, SendWindow] = {}
        self._edits_overall = SendWindow(self.limits.overall, self.limits.seconds)
        self._edits_per_chat: dict[int, SendWindow] = {}
        self._answers = SendWindow(self.limits.overall, self.limits.seconds)
        self._runner: web.AppRunner | None = None
        self._webhook: WebhookSender | None = None
        self._webhook_wake = asyncio.Event()
        self.port = 0
        self.last_activity = time.monotonic()
        self._methods = self._method_table()
        unknown = set(self._methods) - method_names()
        if unknown:
            raise RuntimeError(f"emulated methods missing from the specification: {unknown}")

    def _method_table(self) -> dict[str, Callable[[Params], Awaitable[Any]]]:
        """The Bot API methods carebot uses, each answered as Telegram would."""
        return {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "close": self._true,
            "logOut": self._true,
            "sendChatAction": self._send_chat_action,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "copyMessage": self._copy_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
        }

    # ----- running -------------------------------------------------------------------

    async def start(self, port: int = 0,
                    more_routes: Callable[[web.Application], None] | None = None) -> None:
        """Serve on 127.0.0.1 (`port` 0: any free port); `more_routes` may add routes,
        e.g. `control.add_control_routes` for driving simulated people over HTTP."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_call)
        if more_routes is not None:
            more_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None)
        assert sockets
        self.port = int(sockets[0].getsockname()[1])

    async def stop(self) -> None:
        await self._delete_webhook({})
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`: PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ----- what simulated people do --------------------------------------------------

    def chat_for(self, user: dict[str, Any]) -> Chat:
        """A private chat's id is the user's id, as on Telegram."""
        chat = self.chats.get(user["id"])
        if chat is None:
            chat = self.chats[user["id"]] = Chat(chat_id=user["id"], user=user)
        return chat

    def shared_chat(self, chat_id: int, kind: str, title: str,
                    creator: dict[str, Any]) -> Chat:
        """A group, supergroup or channel the bot is in (ids are negative, as on Telegram)."""
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = self.chats[chat_id] = Chat(chat_id=chat_id, user=creator, kind=kind,
                                              title=title)
        return chat

    def _chat_json(self, chat: Chat) -> dict[str, Any]:
        if chat.kind == "private":
            names = {key: chat.user[key] for key in ("first_name", "last_name", "username")
                     if chat.user.get(key)}
            return {"id": chat.chat_id, "type": "private", **names}
        return {"id": chat.chat_id, "type": chat.kind, "title": chat.title}

    def user_message(self, user: dict[str, Any], chat: Chat | None = None,
                     **content: Any) -> dict[str, Any]:
        """Put a message from `user` (in their private chat, or in `chat`) into the update
        queue; returns the message. In a channel it is a channel post, from the channel."""
        chat = chat or self.chat_for(user)
        message = {
            "message_id": next(chat.message_ids),
            "chat": self._chat_json(chat),
            "date": int(self._clock()),
            **content,
        }
        if chat.kind == "channel":
            message["sender_chat"] = self._chat_json(chat)
        else:
            message["from"] = user
        chat.lines.append(Line(message["date"], False, _line_of(content)))
        chat.received[message["message_id"]] = message
        self.push_update({"channel_post" if chat.kind == "channel" else "message": message})
        return message

    def user_edit(self, user: dict[str, Any], message: dict[str, Any],
                  **changes: Any) -> dict[str, Any]:
        """The person changes a message they sent: its text (and entities) or, for a photo
        or file, its caption; the media stays. Telegram sends the whole message again."""
        edited = {key: value for key, value in message.items()
                  if key not in ("entities", "caption_entities")}
        edited.update({key: value for key, value in changes.items() if value is not None})
        edited["edit_date"] = int(self._clock())
        chat = self.chats.get(message["chat"]["id"])
        if chat is not None and message["message_id"] in chat.received:
            chat.received[message["message_id"]] = edited
        kind = "channel" if message["chat"]["type"] == "channel" else ""
        self.push_update({"edited_channel_post" if kind else "edited_message": edited})
        return edited

    def user_press(self, user: dict[str, Any], message_id: int, data: str) -> str:
        """A tap on an inline button; returns the callback query's id."""
        chat = self.chat_for(user)
        target = self.find_message(chat.chat_id, message_id)
        query_id = str(next(self._callback_ids))
        self._open_callbacks[query_id] = time.monotonic()
        query: dict[str, Any] = {
            "id": query_id,
            "from": user,
            "chat_instance": f"ci{chat.chat_id}",
            "data": data,
        }
        if target is not None:
            query["message"] = self.message_json(target)
            tapped = [b["text"] for b in target.buttons() if b.get("callback_data") == data]
            chat.lines.append(Line(int(self._clock()), False,
                                   f"(taps) [{tapped[0] if tapped else data}]"))
        else:
            # An old message Telegram no longer shows the bot: inaccessible.
            query["message"] = {"chat": self._chat_json(chat), "message_id": message_id,
                                "date": 0}
        self.push_update({"callback_query": query})
        return query_id

    def user_delete(self, user: dict[str, Any], message_id: int) -> None:
        """The person deletes one of the bot's messages for both sides. Telegram does not
        tell a bot; the message is simply gone, and editing it fails."""
        chat = self.chat_for(user)
        message = self.find_message(chat.chat_id, message_id)
        if message is None:
            raise LookupError(f"chat {chat.chat_id} has no message {message_id} to delete")
        chat.messages.remove(message)
        chat.deleted.append(message)
        chat.lines.append(Line(int(self._clock()), False, "(deletes a message from carebot)"))

    def user_blocks(self, user: dict[str, Any], blocked: bool, *, tell_bot: bool = True) -> None:
        """Block (or unblock) the bot: sends fail with 403 meanwhile, and Telegram tells
        the bot with a my_chat_member update (member → kicked, or back). `tell_bot=False`
        holds that update back, as when the bot sends before it has read it."""
        chat = self.chat_for(user)
        if chat.blocked == blocked:
            return
        chat.blocked = blocked
        was, now = ("member", "kicked") if blocked else ("kicked", "member")
        chat.lines.append(Line(int(self._clock()), False,
                               "(blocks carebot)" if blocked else "(unblocks carebot)"))
        if not tell_bot:
            return
        self.push_update({"my_chat_member": {
            "chat": self._chat_json(chat), "from": user, "date": int(self._clock()),
            "old_chat_member": self._bot_member(was), "new_chat_member": self._bot_member(now),
        }})

    @staticmethod
    def _bot_member(status: str) -> dict[str, Any]:
        member: dict[str, Any] = {"status": status, "user": BOT_USER}
        if status == "kicked":
            member["until_date"] = 0  # for ever
        return member

    def push_update(self, content: dict[str, Any]) -> None:
        """Deliver an update of any shape to the bot (what simulated people do, or raw).
        A kind of update the bot did not ask for (`allowed_updates`) never arrives."""
        kind = update_kind(content)
        if kind in UPDATE_KINDS and kind not in self.allowed_updates:
            self.filtered_updates += 1
            return
        update = {"update_id": next(self._update_ids), **content}
        self._updates.append(update)
        self._pushed_at[update["update_id"]] = self._clock()
        self._touch()
        self._notify()
        self._webhook_wake.set()

    def _drop_expired(self) -> None:
        """Forget updates nobody took within 24 hours, as Telegram does."""
        expired = [u for u in self._updates if self._too_old(u)]
        if expired:
            self.expired_updates += len(expired)
            gone = {id(update) for update in expired}
            self._updates = [u for u in self._updates if id(u) not in gone]
            self._forget(expired)

    def _forget(self, updates: list[dict[str, Any]]) -> None:
        for update in updates:
            self._pushed_at.pop(update["update_id"], None)

    def _notify(self) -> None:
        async def wake() -> None:
            async with self._changed:
                self._changed.notify_all()

        asyncio.get_running_loop().create_task(wake())

    def _touch(self) -> None:
        self.last_activity = time.monotonic()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until `predicate()` holds (checked whenever the bot or a person acts)."""
        async def waiting() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        try:
            await asyncio.wait_for(waiting(), timeout)
        except TimeoutError:
            return predicate()
        return True

    def release_long_polls(self) -> None:
        """Answer every waiting getUpdates now (with what there is), e.g. to stop quickly."""
        self._releases += 1
        self._notify()

    @property
    def unconfirmed_updates(self) -> int:
        """Updates Telegram still holds for the bot (none older than 24 hours)."""
        self._drop_expired()
        return len(self._updates)

    async def wait_quiet(self, quiet: float = 0.15, timeout: float = 30.0) -> bool:
        """Wait until every update was taken and nothing happened for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            idle_for = time.monotonic() - self.last_activity
            if not self._updates and idle_for >= quiet:
                return True
            await asyncio.sleep(max(0.01, quiet - idle_for) if not self._updates else 0.02)
        return False

    def find_message(self, chat_id: int, message_id: int) -> BotMessage | None:
        chat = self.chats.get(chat_id)
        if chat is None:
            return None
        return next((m for m in chat.messages if m.message_id == message_id), None)

    def find_received(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """A message a person sent in the chat, as the bot received it (edits applied)."""
        chat = self.chats.get(chat_id)
        return None if chat is None else chat.received.get(message_id)

    # ----- HTTP ----------------------------------------------------------------------

    async def _read_params(self, request: web.Request) -> tuple[Params, bool]:
        params: Params = dict(request.query)
        if request.method != "POST" or not request.can_read_body:
            return params, True
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise CallError(400, "Bad Request: the body must be a JSON object")
            params.update(body)
            return params, False
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = UploadedFile(value.filename, value.file.read())
            else:
                params[key] = value
        return params, True

    async def _handle_call(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._error(CallError(401, "Unauthorized"))
        try:
            params, from_form = await self._read_params(request)
            check_call(method, params, from_form)
            method = canonical_method(method)
            params = decode_params(method, params, from_form)
            handler = self._methods.get(method)
            if handler is None:
                raise CallError(501, f"Not Implemented: the local emulator has no {method}")
            self.calls[method] += 1
            if method != "getUpdates":
                self._touch()
            fault = self.faults.due(method)
            injected = await before_call(fault)
            if injected is not None:
                return self._error(CallError(*injected))
            result = await handler(params)
        except CallError as error:
            self.bad_calls.append((method, error.description))
            log.info("emulator refused %s: %s", method, error.description)
            return self._error(error)
        except ConnectionDroppedError:
            return self._drop(request)
        if method != "getUpdates":
            self._notify()
        if fault is not None and fault.kind == "drop_after":
            return self._drop(request)  # it took effect; the caller never hears so
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _drop(request: web.Request) -> web.Response:
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)  # never reaches anyone: the connection is gone

    @staticmethod
    def _error(error: CallError) -> web.Response:
        body: dict[str, Any] = {
            "ok": False, "error_code": error.code, "description": error.description,
        }
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return web.json_response(body, status=error.code)

    # ----- methods -------------------------------------------------------------------

    async def _true(self, params: Params) -> bool:
        return True

    async def _get_me(self, params: Params) -> dict[str, Any]:
        return BOT_USER

    async def _get_webhook_info(self, params: Params) -> dict[str, Any]:
        self._drop_expired()
        info: dict[str, Any] = {"url": "", "has_custom_certificate": False,
                                "pending_update_count": len(self._updates)}
        if self._webhook is not None:
            hook = self._webhook.webhook
            info.update(url=hook.url, max_connections=hook.max_connections)
            if hook.last_error_date is not None:
                info.update(last_error_date=hook.last_error_date,
                            last_error_message=hook.failures[-1])
        return info

    @property
    def webhook(self) -> Webhook | None:
        """Where updates are delivered, if a webhook is set (else getUpdates takes them)."""
        return None if self._webhook is None else self._webhook.webhook

    def _check_webhook_url(self, url: str) -> None:
        """Telegram posts only to HTTPS on ports 80, 88, 443 and 8443; a local test may
        be let off for this machine's own addresses (`allow_local_webhook`)."""
        parts = urlsplit(url)
        if self.allow_local_webhook and parts.hostname in LOOPBACK_HOSTS:
            return
        if parts.scheme != "https" or not parts.hostname:
            raise CallError(400, "Bad Request: bad webhook: An HTTPS URL must be provided "
                                 "for webhook")
        if (parts.port or 443) not in WEBHOOK_PORTS:
            raise CallError(400, "Bad Request: bad webhook: Webhook can be set up only on "
                                 "ports 80, 88, 443 or 8443")

    async def _set_webhook(self, params: Params) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self._delete_webhook(params)
        self._check_webhook_url(url)
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise CallError(400, "Bad Request: secret token contains unallowed characters")
        connections = int(params.get("max_connections") or 40)
        if not 1 <= connections <= 100:
            raise CallError(400, "Bad Request: max_connections must be between 1 and 100")
        await self._delete_webhook(params)
        self._remember_allowed(params)
        self._webhook = WebhookSender(
            Webhook(url, None if secret is None else str(secret), max_connections=connections),
            self._webhook_queue(), retry=self.webhook_retry, wake=self._webhook_wake)
        self._webhook_wake.set()
        return True

    def _webhook_queue(self) -> WebhookQueue:
        return WebhookQueue(pending=self._pending, delivered=self._confirm,
                            stale=self._stale, give_up=self._give_up, clock=self._clock)

    def _pending(self) -> list[dict[str, Any]]:
        self._drop_expired()
        return self._updates

    def _stale(self, update: dict[str, Any]) -> bool:
        """Not to be delivered: too old, or already dropped from the queue."""
        return self._too_old(update) or not any(u is update for u in self._updates)

    def _too_old(self, update: dict[str, Any]) -> bool:
        pushed = self._pushed_at.get(update["update_id"], self._clock())
        return pushed < self._clock() - UPDATE_LIFETIME_SECONDS

    async def _delete_webhook(self, params: Params) -> bool:
        if self._webhook is not None:
            await self._webhook.stop()
            self._webhook = None
        if str(params.get("drop_pending_updates", "")).lower() in ("true", "1"):
            self._forget(self._updates)
            self._updates.clear()
        return True

    def _take(self, update: dict[str, Any]) -> bool:
        """Take `update` off the queue, wherever it is in it; whether it was there."""
        for n, queued in enumerate(self._updates):
            if queued is update:
                del self._updates[n]
                self._forget([update])
                return True
        return False

    def _confirm(self, update: dict[str, Any]) -> None:
        if self._take(update):
            self.confirmed_updates += 1
        self._touch()
        self._notify()

    def _give_up(self, update: dict[str, Any]) -> None:
        """The webhook failed this update too long: Telegram drops it."""
        if self._take(update):
            self.expired_updates += 1
        self._touch()
        self._notify()

    def _remember_allowed(self, params: Params) -> None:
        """Telegram keeps the last `allowed_updates` given; [] means its default."""
        given = params.get("allowed_updates")
        if given is None:
            return
        kinds = frozenset(str(kind) for kind in given) & UPDATE_KINDS
        self.allowed_updates = kinds or DEFAULT_UPDATE_KINDS

    async def _send_chat_action(self, params: Params) -> bool:
        self._chat(params["chat_id"])
        return True

    @staticmethod
    def _scope_key(params: Params) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code", "")], sort_keys=True)

    async def _set_my_commands(self, params: Params) -> bool:
        commands = params["commands"]
        for command in commands:
            name = command.get("command", "")
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise CallError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise CallError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope_key(params)] = list(commands)
        return True

    async def _get_my_commands(self, params: Params) -> list[dict[str, Any]]:
        return self.commands.get(self._scope_key(params), [])

    async def _delete_my_commands(self, params: Params) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self._webhook is not None:
            raise CallError(409, "Conflict: can't use getUpdates method while webhook is "
                                 "active; use deleteWebhook to delete the webhook first")
        self._polls += 1
        poll = self._polls
        self._notify()  # an older poll still waiting is ended with 409 (see below)
        self._remember_allowed(params)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        if params.get("offset") is not None:
            self._confirm_up_to(int(params["offset"]))
        self._drop_expired()
        if not self._updates and timeout > 0:
            released = self._releases
            await self.wait_until(lambda: bool(self._updates) or self._releases != released
                                  or self._polls != poll, timeout)
            if self._polls != poll:
                raise CallError(409, _CONFLICT)
            self._drop_expired()
        return self._updates[:limit]

    def _confirm_up_to(self, offset: int) -> None:
        """getUpdates' offset: every update before it is confirmed (a negative offset
        keeps only the last -offset updates)."""
        kept = (self._updates[offset:] if offset < 0
                else [u for u in self._updates if u["update_id"] >= offset])
        if len(kept) != len(self._updates):
            self.confirmed_updates += len(self._updates) - len(kept)
            self._forget(self._updates[:len(self._updates) - len(kept)])
            self._updates = kept

    def _known_chat(self, chat_id: Any) -> Chat | None:
        """The chat a call names: by its id, which may come as text ("-100123"), as
        Telegram takes it; an @username names no chat here."""
        if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id.strip()):
            chat_id = int(chat_id)
        return self.chats.get(chat_id) if isinstance(chat_id, int) else None

    def _chat(self, chat_id: Any) -> Chat:
        chat = self._known_chat(chat_id)
        if chat is None:
            raise CallError(400, "Bad Request: chat not found")
        if chat.blocked:
            raise CallError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _check_flood(self, chat_id: int) -> None:
        """A new message: at most `limits.overall` a window in all, `per_chat` in one chat."""
        per_chat = self._per_chat.setdefault(
            chat_id, SendWindow(self.limits.per_chat, self.limits.seconds)
        )
        wait = self._wait_for_room([self._overall, per_chat])
        if wait > 0:
            self.flood_breaches += 1
            self._refuse(wait)
        self.arrivals.append(time.monotonic())

    def _check_edit_flood(self, chat_id: int) -> None:
        """An edit: about one a second in a chat with bursts of EDIT_BURST allowed, and
        no more than sends in all; counted apart from sends (`edit_breaches`)."""
        per_chat = self._edits_per_chat.setdefault(chat_id, SendWindow(
            EDIT_BURST, EDIT_BURST * self.limits.seconds / self.limits.per_chat))
        wait = self._wait_for_room([self._edits_overall, per_chat])
        if wait > 0:
            self.edit_breaches += 1
            self._refuse(wait)

    def _check_answer_flood(self) -> None:
        """Answers to taps: no more than sends in all (`answer_breaches`)."""
        wait = self._wait_for_room([self._answers])
        if wait > 0:
            self.answer_breaches += 1
            self._refuse(wait)

    def _wait_for_room(self, windows: Sequence[SendWindow]) -> float:
        """Seconds until this call would fit every window (0: it fits); it is counted in
        them unless it is to be refused."""
        now = time.monotonic()
        wait = max(window.wait_needed(now) for window in windows)
        if wait <= 0 or not self.enforce_flood_limits:
            for window in windows:
                window.record(now)
        return wait

    def _refuse(self, wait: float) -> None:
        """429 with Telegram's retry_after (whole seconds until there is room), when
        limits are enforced; otherwise the breach is only counted."""
        if self.enforce_flood_limits:
            raise CallError(429, f"Too Many Requests: retry after {int(wait) + 1}",
                            retry_after=int(wait) + 1)

    @staticmethod
    def _visible_length(text: str, parse_mode: str | None) -> int:
        """The length Telegram counts: what shows once markup is parsed, in UTF-16 code
        units (as its entity offsets are), so an emoji counts two."""
        if parse_mode and parse_mode.upper() == "HTML":
            text = html.unescape(re.sub(r"<[^>]+>", "", text))
        return utf16_length(text)

    def _check_text(self, text: str, parse_mode: str | None, empty_error: str) -> None:
        length = self._visible_length(text, parse_mode)
        if not text.strip() or length == 0:
            raise CallError(400, empty_error)
        if length > MAX_TEXT:
            raise CallError(400, "Bad Request: message is too long")

    def _check_caption(self, caption: Any, parse_mode: str | None) -> str | None:
        if caption is None:
            return None
        if self._visible_length(str(caption), parse_mode) > MAX_CAPTION:
            raise CallError(400, "Bad Request: message caption is too long")
        return str(caption)

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise CallError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard", [])
        # Over 100 buttons Telegram answers "reply markup is too long" (widely reported).
        # Over 8 in a row is undocumented (PTB's constants give 8, reports differ on
        # whether the row is refused or cut): refused here with the same words, so that a
        # bot which builds one finds out.
        if (sum(len(row) for row in rows) > MAX_BUTTONS
                or any(len(row) > MAX_BUTTONS_A_ROW for row in rows)):
            raise CallError(400, _MARKUP_TOO_LONG)
        for row in rows:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                    raise CallError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise CallError(400, "Bad Request: text buttons are unallowed in the "
                                         "inline keyboard")
        return markup

    def now(self) -> float:
        """The emulator's clock: what messages are dated by and updates aged by."""
        return self._clock()

    def message_json(self, message: BotMessage) -> dict[str, Any]:
        """A message of the bot's as the Bot API shows it (e.g. inside a reply)."""
        chat = self.chats[message.chat_id]
        body: dict[str, Any] = {
            "message_id": message.message_id,
            "from": BOT_USER,
            "chat": self._chat_json(chat),
            "date": message.date,
        }
        if message.text is not None:
            body["text"] = message.text
        if message.caption is not None:
            body["caption"] = message.caption
        if message.document is not None:
            name, content = message.document
            body["document"] = {
                "file_id": f"doc-{message.chat_id}-{message.message_id}",
                "file_unique_id": f"u{message.chat_id}x{message.message_id}",
                "file_name": name,
                "file_size": len(content),
            }
        body.update(message.content)
        if message.reply_markup:
            body["reply_markup"] = message.reply_markup
        if message.edits:
            body["edit_date"] = int(self._clock())
        return body

    async def _send_message(self, params: Params) -> dict[str, Any]:
        chat = self._chat(params["chat_id"])
        text = str(params["text"])
        self._check_text(text, params.get("parse_mode"), "Bad Request: message text is empty")
        markup = self._check_markup(params.get("reply_markup"))
        self._check_flood(chat.chat_id)
        message = BotMessage(next(chat.message_ids), chat.chat_id, text, markup,
                             int(self._clock()))
        chat.messages.append(message)
        chat.lines.append(Line(message.date, True, f"{text}\n{_labels(markup)}".strip()))
        return self.message_json(message)

    async def _send_document(self, params: Params) -> dict[str, Any]:
        chat = self._chat(params["chat_id"])
        document = params["document"]
        if not isinstance(document, UploadedFile):
            raise CallError(400, "Bad Request: wrong remote file identifier specified")
        if not document.content:
            raise CallError(400, "Bad Request: file must be non-empty")
        caption = self._check_caption(params.get("caption"), params.get("parse_mode"))
        markup = self._check_markup(params.get("reply_markup"))
        self._check_flood(chat.chat_id)
        message = BotMessage(next(chat.message_ids), chat.chat_id, None, markup,
                             int(self._clock()), document=(document.filename, document.content),
                             caption=caption)
        chat.messages.append(message)
        chat.lines.append(Line(message.date, True,
                               f"[file: {document.filename}] {caption or ''}".strip()))
        return self.message_json(message)

    async def _send_photo(self, params: Params) -> dict[str, Any]:
        """A picture, uploaded or by the file id Telegram gave for an earlier upload, with
        its caption; shown as the Bot API shows a photo (its sizes, each with a file id)."""
        chat = self._chat(params["chat_id"])
        photo = params["photo"]
        if isinstance(photo, UploadedFile):
            if not photo.content:
                raise CallError(400, "Bad Request: file must be non-empty")
            file_id = f"photo-{len(self.photos) + 1}"
            self.photos[file_id] = photo.content
        elif isinstance(photo, str) and photo in self.photos:
            file_id = photo
        else:
            raise CallError(400, "Bad Request: wrong remote file identifier specified")
        caption = self._check_caption(params.get("caption"), params.get("parse_mode"))
        markup = self._check_markup(params.get("reply_markup"))
        self._check_flood(chat.chat_id)
        sizes = [{"file_id": file_id, "file_unique_id": f"u-{file_id}", "width": 900,
                  "height": 300, "file_size": len(self.photos[file_id])}]
        message = BotMessage(next(chat.message_ids), chat.chat_id, None, markup,
                             int(self._clock()), caption=caption, content={"photo": sizes})
        chat.messages.append(message)
        chat.lines.append(Line(message.date, True, f"[picture] {caption or ''}".strip()))
        return self.message_json(message)

    def _message_to_copy(self, params: Params) -> dict[str, Any]:
        """The message copyMessage names, as the Bot API shows it: one a person sent or
        one of the bot's own. Telegram looks for it before it looks at the target chat."""
        chat = self._known_chat(params["from_chat_id"])
        if chat is None:
            raise CallError(400, "Bad Request: chat not found")
        message_id = int(params["message_id"])
        own = self.find_message(chat.chat_id, message_id)
        found = self.message_json(own) if own is not None else chat.received.get(message_id)
        if found is None:
            raise CallError(400, _NOT_FOUND_TO_COPY)
        if not any(kind in found for kind in CONTENT_KINDS):
            raise CallError(400, _CANT_COPY)  # a service message: a pin, a timer…
        poll = found.get("poll")
        if isinstance(poll, dict) and poll.get("type") == "quiz" and (
                "correct_option_id" not in poll):
            raise CallError(400, _CANT_COPY)  # a quiz whose answer the bot does not know
        return found

    async def _copy_message(self, params: Params) -> dict[str, int]:
        """A copy of a message in another chat (or the same): the same content, the same
        file ids, a new caption if one is given, none of where it came from. Returns a
        MessageId, not a Message."""
        original = self._message_to_copy(params)
        chat = self._chat(params["chat_id"])
        content = {key: value for key, value in original.items()
                   if key in CONTENT_KINDS or key in _COPIED_TOO}
        text = content.pop("text", None)
        caption = original.get("caption")
        kind = next((kind for kind in CONTENT_KINDS if kind in content), "text")
        if params.get("caption") is not None and kind in CAPTIONED_KINDS:
            caption = self._check_caption(params["caption"], params.get("parse_mode")) or None
            content.pop("caption_entities", None)
            content.pop("show_caption_above_media", None)
            if caption and params.get("caption_entities"):
                content["caption_entities"] = params["caption_entities"]
            if caption and params.get("show_caption_above_media") is True:
                content["show_caption_above_media"] = True
        if params.get("protect_content") is True:
            content["has_protected_content"] = True
        markup = self._check_markup(params.get("reply_markup"))
        self._check_flood(chat.chat_id)
        message = BotMessage(next(chat.message_ids), chat.chat_id, text, markup,
                             int(self._clock()), caption=caption, content=content,
                             copied_from=(int(original["chat"]["id"]),
                                          int(original["message_id"])))
        chat.messages.append(message)
        shown = {**content, "text": text, "caption": caption}
        chat.lines.append(Line(message.date, True,
                               f"{_line_of(shown)}\n{_labels(markup)}".strip()))
        return {"message_id": message.message_id}

    def _editable(self, params: Params) -> BotMessage:
        if params.get("inline_message_id"):
            raise CallError(400, "Bad Request: MESSAGE_ID_INVALID")
        if params.get("chat_id") is None or params.get("message_id") is None:
            raise CallError(400, "Bad Request: message identifier is not specified")
        chat = self._chat(params["chat_id"])
        message = self.find_message(chat.chat_id, int(params["message_id"]))
        if message is None:
            raise CallError(400, "Bad Request: message to edit not found")
        return message

    async def _edit_message_text(self, params: Params) -> dict[str, Any]:
        message = self._editable(params)
        text = str(params["text"])
        self._check_text(text, params.get("parse_mode"), "Bad Request: message text is empty")
        markup = self._check_markup(params.get("reply_markup"))
        if message.kind != "text":
            raise CallError(400, "Bad Request: there is no text in the message to edit")
        if text == message.text and markup == message.reply_markup:
            raise CallError(400, _NOT_MODIFIED)
        self._check_edit_flood(message.chat_id)
        message.edits.append(message.text)
        message.text = text
        message.content.pop("entities", None)  # the new text's own, if any, are not kept
        message.reply_markup = markup
        self._chat(params["chat_id"]).lines.append(Line(
            int(self._clock()), True, f"(changes a message to) {text}\n{_labels(markup)}".strip()))
        return self.message_json(message)

    async def _edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        message = self._editable(params)
        markup = self._check_markup(params.get("reply_markup"))
        if markup == message.reply_markup:
            raise CallError(400, _NOT_MODIFIED)
        self._check_edit_flood(message.chat_id)
        message.edits.append(message.text)
        message.reply_markup = markup
        return self.message_json(message)

    async def _answer_callback_query(self, params: Params) -> bool:
        """A tap is answered once, within `callback_expiry_seconds` of it (wall clock)."""
        query_id = str(params["callback_query_id"])
        tapped = self._open_callbacks.get(query_id)
        if tapped is None or time.monotonic() - tapped > self.callback_expiry_seconds:
            self._open_callbacks.pop(query_id, None)
            raise CallError(400, _EXPIRED_QUERY)
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_ANSWER_TEXT:
            raise CallError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._check_answer_flood()
        del self._open_callbacks[query_id]
        self.callback_answers[query_id] = params
        return True
