"""The local Bot API emulator answers as Telegram does: the shapes it refuses, its flood
limits, long polling, and the HTTP routes for simulated people."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.request import HTTPXRequest

from carebot.emulator import BotApiEmulator, SimulatedPerson
from carebot.emulator.spec import CallError, check_call, load_spec
from tests.conftest import EMULATOR_TOKEN
from tests.helpers import REPO, SHARED

TOKEN = EMULATOR_TOKEN


async def call(emu: BotApiEmulator, method: str, token: str = TOKEN,
               **params: Any) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.post(
        f"http://127.0.0.1:{emu.port}/bot{token}/{method}", json=params
    ) as response:
        return response.status, await response.json()


async def test_wrong_token_unknown_method_and_missing_fields(emulator: BotApiEmulator) -> None:
    status, body = await call(emulator, "getMe", token="1:WRONG")
    assert (status, body["ok"], body["description"]) == (401, False, "Unauthorized")
    status, body = await call(emulator, "sendTelepathy", chat_id=1)
    assert (status, body["error_code"]) == (404, 404)
    SimulatedPerson(emulator, 7, "Sam")
    status, body = await call(emulator, "sendMessage", chat_id=7)
    assert status == 400 and '"text" is required' in body["description"]
    status, body = await call(emulator, "sendMessage", chat_id=7, text="hi",
                              disable_notification="loud")
    assert status == 400 and "disable_notification" in body["description"]
    status, body = await call(emulator, "sendMessage", chat_id=7,
                              text="x", reply_markup={"inline_keyboard": [[{"text": "a"}]]})
    assert status == 200, body  # a button with only text is valid shape


async def test_message_rules_as_telegram_has_them(emulator: BotApiEmulator) -> None:
    SimulatedPerson(emulator, 7, "Sam")
    status, body = await call(emulator, "sendMessage", chat_id=8, text="hi")
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    status, body = await call(emulator, "sendMessage", chat_id=7, text="x" * 4097)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    status, body = await call(emulator, "sendMessage", chat_id=7, text="   ")
    assert body["description"] == "Bad Request: message text is empty"
    keyboard = {"inline_keyboard": [[{"text": "a", "callback_data": "d" * 65}]]}
    status, body = await call(emulator, "sendMessage", chat_id=7, text="hi",
                              reply_markup=keyboard)
    assert body["description"] == "Bad Request: BUTTON_DATA_INVALID"
    await asyncio.sleep(0.5)
    status, body = await call(emulator, "sendMessage", chat_id=7, text="x" * 4096)
    assert status == 200 and body["result"]["chat"]["id"] == 7
    message_id = body["result"]["message_id"]
    status, body = await call(emulator, "editMessageText", chat_id=7, message_id=message_id,
                              text="x" * 4096)
    assert "message is not modified" in body["description"]
    status, body = await call(emulator, "editMessageText", chat_id=7, message_id=999, text="y")
    assert body["description"] == "Bad Request: message to edit not found"
    status, body = await call(emulator, "answerCallbackQuery", callback_query_id="nope")
    assert status == 400 and "query ID is invalid" in body["description"]


async def test_flood_limits_answer_429_and_are_counted(emulator: BotApiEmulator) -> None:
    for user in range(1, 32):
        SimulatedPerson(emulator, user, "P")
    results = [await call(emulator, "sendMessage", chat_id=user, text="hello")
               for user in range(1, 32)]
    assert [status for status, _ in results[:30]] == [200] * 30
    status, body = results[30]
    assert status == 429 and body["parameters"]["retry_after"] >= 1
    await asyncio.sleep(0.55)
    assert (await call(emulator, "sendMessage", chat_id=1, text="again"))[0] == 200
    status, _ = await call(emulator, "sendMessage", chat_id=1, text="too soon")
    assert status == 429
    assert emulator.flood_breaches == 2


async def test_breaches_are_counted_even_when_not_enforced() -> None:
    emu = BotApiEmulator(TOKEN, enforce_flood_limits=False)
    await emu.start()
    try:
        SimulatedPerson(emu, 5, "Sam")
        statuses = [(await call(emu, "sendMessage", chat_id=5, text=f"m{n}"))[0]
                    for n in range(3)]
        assert statuses == [200, 200, 200]
        assert emu.flood_breaches == 2
    finally:
        await emu.stop()


async def test_long_poll_waits_for_an_update_and_offset_confirms(
        emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 9, "Sam")
    polling = asyncio.create_task(call(emulator, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    assert not polling.done()
    sam.send_text("hello")
    status, body = await asyncio.wait_for(polling, 2)
    assert status == 200 and body["result"][0]["message"]["text"] == "hello"
    update_id = body["result"][0]["update_id"]
    status, body = await call(emulator, "getUpdates", offset=update_id + 1, timeout=0)
    assert body["result"] == [] and emulator.unconfirmed_updates == 0


async def test_real_ptb_bot_sees_telegram_errors(emulator: BotApiEmulator) -> None:
    bot = Bot(TOKEN, base_url=emulator.base_url, request=HTTPXRequest())
    async with bot:
        sam = SimulatedPerson(emulator, 11, "Sam")
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(12, "hi")
        sent = await bot.send_message(11, "hi")
        assert sent.text == "hi" and sam.last.text == "hi"
        with pytest.raises(RetryAfter):
            await bot.send_message(11, "again")
        sam.block_bot()
        await asyncio.sleep(0.55)
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(11, "hello?")
        sam.unblock_bot()
        await asyncio.sleep(0.55)
        document = await bot.send_document(11, b"a,b\n1,2\n", filename="digest.csv")
        assert document.document is not None and document.document.file_name == "digest.csv"
        assert sam.last.document == ("digest.csv", b"a,b\n1,2\n")


async def test_control_routes_for_simulated_people(emulator: BotApiEmulator) -> None:
    base = f"http://127.0.0.1:{emulator.port}/_emulator"
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/users/21/messages", json={"text": "/start ABC"}) as r:
            assert (await r.json())["ok"]
        async with session.post(f"{base}/users/21/messages", json={"media": "sticker"}) as r:
            assert (await r.json())["ok"]
        _, body = await call(emulator, "getUpdates")
        kinds = [("entities" in u["message"], "sticker" in u["message"])
                 for u in body["result"]]
        assert kinds == [(True, False), (False, True)]
        await call(emulator, "sendMessage", chat_id=21, text="hello",
                   reply_markup={"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]})
        async with session.get(f"{base}/chats/21/messages") as r:
            messages = (await r.json())["result"]
        assert messages[0]["text"] == "hello" and messages[0]["buttons"] == [["OK"]]
        async with session.post(f"{base}/users/21/presses",
                                json={"message_id": messages[0]["message_id"],
                                      "data": "ok"}) as r:
            query_id = (await r.json())["result"]["callback_query_id"]
        assert (await call(emulator, "answerCallbackQuery", callback_query_id=query_id))[0] == 200
        async with session.get(f"{base}/stats") as r:
            stats = (await r.json())["result"]
        assert stats["calls"]["sendMessage"] == 1 and stats["flood_breaches"] == 0


def test_spec_checks_nested_objects_and_form_values() -> None:
    keyboard = json.dumps({"inline_keyboard": [[{"callback_data": "x"}]]})
    with pytest.raises(CallError, match="reply_markup"):
        check_call("sendMessage", {"chat_id": "5", "text": "hi", "reply_markup": keyboard},
                   from_form=True)
    check_call("sendMessage", {"chat_id": "5", "text": "5", "disable_notification": "true"},
               from_form=True)
    assert load_spec()["version"].startswith("Bot API")


def test_shipped_specification_is_the_shared_one() -> None:
    shared = SHARED / "data" / "telegram-bot-api.json"
    if not shared.exists():
        pytest.skip("shared/ is not beside this checkout")
    shipped = REPO / "emulator" / "telegram-bot-api.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == json.loads(
        shared.read_text(encoding="utf-8"))
