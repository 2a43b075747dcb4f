"""HTTP routes for driving simulated people from outside the process (`/_emulator/...`).

    POST /_emulator/users/{id}/messages   {"text": "..."} or {"media": "photo"} (or
         "voice", "video_note"…, with "caption" and "details": {"duration": 12}), and
         {"text": "...", "reply_to": 3} (a reply to the bot's message 3),
         {"text": "...", "forward_origin": "user", "name": "Alex"} (a forward),
         {"album": ["photo", "photo"], "caption": "..."}, {"paste": "... long ..."}
    POST /_emulator/users/{id}/presses    {"message_id": 3, "data": "..."}
    POST /_emulator/users/{id}/blocks     {"blocked": true} (false: unblocks)
    POST /_emulator/users/{id}/deletions  {"message_id": 3} (deletes the bot's message)
    GET  /_emulator/chats/{id}/messages   what the bot sent to that chat: each with its
         "kind" ("text", "photo", "voice"…), "content" (a copy's media, same file ids)
         and "copied_from" ([chat id, message id] of what copyMessage copied, or null)
    GET  /_emulator/stats                 calls per method, refused calls, flood breaches
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from carebot.emulator.people import MEDIA_KINDS, SimulatedPerson
from carebot.emulator.server import BotApiEmulator


class ControlRoutes:
    """The `/_emulator/...` routes for one emulator."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator

    def _person(self, request: web.Request, body: dict[str, Any]) -> SimulatedPerson:
        user_id = int(request.match_info["user_id"])
        return SimulatedPerson(self.emulator, user_id, str(body.get("first_name", "Sam")))

    async def post_message(self, request: web.Request) -> web.Response:
        body = await request.json()
        who = self._person(request, body)
        if "media" in body and body["media"] not in MEDIA_KINDS:
            return web.json_response({"ok": False, "description": "unknown media"},
                                     status=400)
        try:
            sent = self._act(who, body)
        except (LookupError, ValueError) as error:
            return web.json_response({"ok": False, "description": str(error)}, status=400)
        return web.json_response({"ok": True, "result": {
            "message_id": sent[0]["message_id"],
            "message_ids": [message["message_id"] for message in sent]}})

    def _act(self, who: SimulatedPerson, body: dict[str, Any]) -> list[dict[str, Any]]:
        """Do what the body asks; the messages it sent."""
        words = str(body.get("text", ""))
        if "media" in body:
            details = dict(body.get("details") or {})
            return [who.send_media(str(body["media"]), body.get("caption"), **details)]
        if "album" in body:
            return who.send_album(tuple(body["album"]), body.get("caption"))
        if "paste" in body:
            return who.paste(str(body["paste"]))
        if "reply_to" in body:
            message = self.emulator.find_message(who.id, int(body["reply_to"]))
            if message is None:
                raise LookupError(f"no message {body['reply_to']} in chat {who.id}")
            return [who.reply(message, words)]
        if "forward_origin" in body:
            return [who.forward(words, str(body["forward_origin"]),
                                str(body.get("name", "Alex")))]
        return [who.send_text(words)]

    async def post_block(self, request: web.Request) -> web.Response:
        body = await request.json()
        who = self._person(request, body)
        if body.get("blocked", True):
            who.block_bot()
        else:
            who.unblock_bot()
        return web.json_response({"ok": True, "result": True})

    async def post_deletion(self, request: web.Request) -> web.Response:
        body = await request.json()
        try:
            self._person(request, body).delete(int(body["message_id"]))
        except LookupError as error:
            return web.json_response({"ok": False, "description": str(error)}, status=400)
        return web.json_response({"ok": True, "result": True})

    async def post_press(self, request: web.Request) -> web.Response:
        body = await request.json()
        query_id = self._person(request, body).press(int(body["message_id"]), str(body["data"]))
        return web.json_response({"ok": True, "result": {"callback_query_id": query_id}})

    async def get_messages(self, request: web.Request) -> web.Response:
        chat = self.emulator.chats.get(int(request.match_info["chat_id"]))
        messages = [] if chat is None else [
            {"message_id": m.message_id, "text": m.text, "caption": m.caption,
             "buttons": [[b.get("text") for b in row] for row in m.button_rows()],
             "document": None if m.document is None else m.document[0],
             "kind": m.kind, "content": m.content,
             "copied_from": None if m.copied_from is None else list(m.copied_from)}
            for m in chat.messages
        ]
        return web.json_response({"ok": True, "result": messages})

    async def get_stats(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": {
            "calls": dict(self.emulator.calls),
            "refused": [list(pair) for pair in self.emulator.bad_calls],
            "flood_breaches": self.emulator.flood_breaches,
            "edit_breaches": self.emulator.edit_breaches,
            "answer_breaches": self.emulator.answer_breaches,
            "expired_updates": self.emulator.expired_updates,
            "faults_injected": dict(self.emulator.faults.injected),
        }})


def add_control_routes(app: web.Application, emulator: BotApiEmulator) -> None:
    routes = ControlRoutes(emulator)
    app.router.add_post("/_emulator/users/{user_id}/messages", routes.post_message)
    app.router.add_post("/_emulator/users/{user_id}/presses", routes.post_press)
    app.router.add_post("/_emulator/users/{user_id}/blocks", routes.post_block)
    app.router.add_post("/_emulator/users/{user_id}/deletions", routes.post_deletion)
    app.router.add_get("/_emulator/chats/{chat_id}/messages", routes.get_messages)
    app.router.add_get("/_emulator/stats", routes.get_stats)
