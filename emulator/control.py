"""HTTP routes for driving simulated people from outside the process (`/_emulator/...`).

    POST /_emulator/users/{id}/messages   {"text": "..."} or {"media": "photo"}
    POST /_emulator/users/{id}/presses    {"message_id": 3, "data": "..."}
    GET  /_emulator/chats/{id}/messages   what the bot sent to that chat
    GET  /_emulator/stats                 calls per method, refused calls, flood breaches
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from emulator.people import MEDIA_KINDS, SimulatedPerson
from emulator.server import BotApiEmulator


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
        if "media" in body:
            if body["media"] not in MEDIA_KINDS:
                return web.json_response({"ok": False, "description": "unknown media"},
                                         status=400)
            message = who.send_media(str(body["media"]), body.get("caption"))
        elif str(body.get("text", "")).startswith("/"):
            command, _, argument = str(body["text"]).partition(" ")
            message = who.send_command(command, argument)
        else:
            message = who.send_text(str(body.get("text", "")))
        return web.json_response({"ok": True, "result": {"message_id": message["message_id"]}})

    async def post_press(self, request: web.Request) -> web.Response:
        body = await request.json()
        query_id = self._person(request, body).press(int(body["message_id"]), str(body["data"]))
        return web.json_response({"ok": True, "result": {"callback_query_id": query_id}})

    async def get_messages(self, request: web.Request) -> web.Response:
        chat = self.emulator.chats.get(int(request.match_info["chat_id"]))
        messages = [] if chat is None else [
            {"message_id": m.message_id, "text": m.text, "caption": m.caption,
             "buttons": [[b.get("text") for b in row] for row in m.button_rows()],
             "document": None if m.document is None else m.document[0]}
            for m in chat.messages
        ]
        return web.json_response({"ok": True, "result": messages})

    async def get_stats(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": {
            "calls": dict(self.emulator.calls),
            "refused": [list(pair) for pair in self.emulator.bad_calls],
            "flood_breaches": self.emulator.flood_breaches,
            "faults_injected": dict(self.emulator.faults.injected),
        }})


def add_control_routes(app: web.Application, emulator: BotApiEmulator) -> None:
    routes = ControlRoutes(emulator)
    app.router.add_post("/_emulator/users/{user_id}/messages", routes.post_message)
    app.router.add_post("/_emulator/users/{user_id}/presses", routes.post_press)
    app.router.add_get("/_emulator/chats/{chat_id}/messages", routes.get_messages)
    app.router.add_get("/_emulator/stats", routes.get_stats)
