"""The emulator is as unkind as Telegram where carebot could trip (issue 27, item 1): taps
expire, keyboards and captions have limits, a second long poll ends the first with 409,
only the update kinds asked for arrive, updates are kept 24 hours, a webhook is HTTPS on
Telegram's ports and delivered per chat with doubling retries, and edits and answers meet
flood limits too. Each is checked over HTTP against the spec and PTB's constants."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot
from telegram.constants import CallbackQueryLimit, InlineKeyboardMarkupLimit, MessageLimit
from telegram.error import Conflict, RetryAfter
from telegram.request import HTTPXRequest

from carebot.bot.flood import FloodLimits
from carebot.emulator import BotApiEmulator, SimulatedPerson
from carebot.emulator.server import (
    CALLBACK_EXPIRY_SECONDS,
    DEFAULT_UPDATE_KINDS,
    EDIT_BURST,
    UPDATE_LIFETIME_SECONDS,
)
from carebot.emulator.spec import load_spec
from carebot.emulator.webhook_delivery import WebhookRetry
from tests.emulator.test_server import TOKEN, call
from tests.helpers import until

EXPIRED = "Bad Request: query is too old and response timeout expired or query ID is invalid"
TOO_MANY_BUTTONS = "Bad Request: reply markup is too long"
CONFLICT = ("Conflict: terminated by other getUpdates request; make sure that only one bot "
            "instance is running")
NOT_HTTPS = "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
BAD_PORT = "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"


class Clock:
    """A clock a test moves by hand, as the demo's simulated clock jumps."""

    def __init__(self) -> None:
        self.at = 1_800_000_000.0

    def __call__(self) -> float:
        return self.at


@asynccontextmanager
async def running(**options: Any) -> AsyncIterator[BotApiEmulator]:
    emu = BotApiEmulator(TOKEN, **options)
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


def keyboard(*row_lengths: int) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": f"b{r}.{n}", "callback_data": f"{r}.{n}"}
                                 for n in range(length)]
                                for r, length in enumerate(row_lengths)]}


# ----- taps expire ---------------------------------------------------------------------

async def test_a_tap_answered_too_late_gets_telegrams_words() -> None:
    async with running(callback_expiry_seconds=0.3) as emu:
        sam = SimulatedPerson(emu, 7, "Sam")
        await call(emu, "sendMessage", chat_id=7, text="Go?", reply_markup=keyboard(1))
        on_time, late = sam.press(sam.last, "0.0"), sam.press(sam.last, "0.0")
        assert (await call(emu, "answerCallbackQuery", callback_query_id=on_time))[0] == 200
        await asyncio.sleep(0.4)
        status, body = await call(emu, "answerCallbackQuery", callback_query_id=late)
        assert (status, body["description"]) == (400, EXPIRED)
        # Answered once only: a second answer is refused alike.
        status, body = await call(emu, "answerCallbackQuery", callback_query_id=on_time)
        assert (status, body["description"]) == (400, EXPIRED)


async def test_the_default_expiry_is_telegrams_few_seconds_of_wall_clock() -> None:
    clock = Clock()
    async with running(clock=clock) as emu:
        assert emu.callback_expiry_seconds == CALLBACK_EXPIRY_SECONDS
        assert 10 <= CALLBACK_EXPIRY_SECONDS <= 30
        sam = SimulatedPerson(emu, 7, "Sam")
        query = sam.press(1, "x")
        clock.at += 3 * 24 * 3600  # the simulated clock jumps days: the tap is still fresh
        answer = await call(emu, "answerCallbackQuery", callback_query_id=query,
                            text="y" * CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH)
        assert answer[0] == 200


# ----- keyboards and captions -----------------------------------------------------------

async def test_keyboards_over_telegrams_limits_are_refused(emulator: BotApiEmulator) -> None:
    per_row, total = InlineKeyboardMarkupLimit.BUTTONS_PER_ROW, \
        InlineKeyboardMarkupLimit.TOTAL_BUTTON_NUMBER
    assert (per_row, total) == (8, 100)
    for chat in (1, 2, 3, 4):
        SimulatedPerson(emulator, chat, "P")
    full_rows = [per_row] * (total // per_row)
    most = keyboard(*full_rows, total % per_row)  # 12 rows of 8 and one of 4: 100
    one_more = keyboard(*full_rows, total % per_row + 1)
    too_wide = keyboard(per_row + 1)
    assert (await call(emulator, "sendMessage", chat_id=1, text="x", reply_markup=most))[0] \
        == 200
    for chat, markup in ((2, one_more), (3, too_wide)):
        status, body = await call(emulator, "sendMessage", chat_id=chat, text="x",
                                  reply_markup=markup)
        assert (status, body["description"]) == (400, TOO_MANY_BUTTONS)
    status, body = await call(emulator, "sendMessage", chat_id=4, text="x",
                              reply_markup=keyboard(per_row))
    assert status == 200
    status, body = await call(emulator, "editMessageReplyMarkup", chat_id=4,
                              message_id=body["result"]["message_id"], reply_markup=one_more)
    assert (status, body["description"]) == (400, TOO_MANY_BUTTONS)


async def _send_document(emu: BotApiEmulator, chat_id: int,
                         caption: str) -> tuple[int, dict[str, Any]]:
    form = aiohttp.FormData()
    form.add_field("chat_id", str(chat_id))
    form.add_field("caption", caption)
    form.add_field("document", b"a,b\n", filename="digest.csv")
    async with aiohttp.ClientSession() as session, session.post(
            f"{emu.base_url}{TOKEN}/sendDocument", data=form) as response:
        return response.status, await response.json()


async def test_a_caption_over_1024_characters_is_refused(emulator: BotApiEmulator) -> None:
    SimulatedPerson(emulator, 5, "Sam")
    SimulatedPerson(emulator, 6, "Kim")
    longest = MessageLimit.CAPTION_LENGTH
    status, body = await _send_document(emulator, 5, "c" * (longest + 1))
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")
    status, body = await _send_document(emulator, 6, "c" * longest)
    assert status == 200 and len(body["result"]["caption"]) == longest


async def test_the_text_limit_is_ptbs_counted_as_telegram_counts(
        emulator: BotApiEmulator) -> None:
    """In UTF-16 code units, as Telegram's entity offsets are: an emoji counts two."""
    SimulatedPerson(emulator, 5, "Sam")
    SimulatedPerson(emulator, 6, "Kim")
    most = MessageLimit.MAX_TEXT_LENGTH
    for words in ("x" * (most + 1), "😀" * (most // 2) + "x"):
        status, body = await call(emulator, "sendMessage", chat_id=5, text=words)
        assert (status, body["description"]) == (400, "Bad Request: message is too long")
    status, _ = await call(emulator, "sendMessage", chat_id=6, text="😀" * (most // 2))
    assert status == 200


# ----- long polling ---------------------------------------------------------------------

async def test_a_second_long_poll_ends_the_first_with_409(emulator: BotApiEmulator) -> None:
    first = asyncio.create_task(call(emulator, "getUpdates", timeout=5))
    await asyncio.sleep(0.2)
    status, body = await call(emulator, "getUpdates", timeout=0)
    assert status == 200 and body["result"] == []
    status, body = await asyncio.wait_for(first, 2)
    assert (status, body["error_code"], body["description"]) == (409, 409, CONFLICT)


async def test_ptb_sees_the_conflict_as_its_conflict_error(emulator: BotApiEmulator) -> None:
    async with Bot(TOKEN, base_url=emulator.base_url,
                   get_updates_request=HTTPXRequest(read_timeout=10)) as bot:
        older = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.2)
        assert await bot.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(older, 3)


async def test_a_released_poll_is_not_a_conflict(emulator: BotApiEmulator) -> None:
    """How LocalBot stops quickly: the waiting poll is answered, not refused."""
    polling = asyncio.create_task(call(emulator, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    emulator.release_long_polls()
    assert await asyncio.wait_for(polling, 2) == (200, {"ok": True, "result": []})


# ----- which updates, and for how long --------------------------------------------------

def test_the_default_update_kinds_are_the_specs() -> None:
    kinds = {field["name"] for field in load_spec()["types"]["Update"]["fields"]}
    unasked = {"update_id", "chat_member", "message_reaction", "message_reaction_count"}
    assert frozenset(kinds - unasked) == DEFAULT_UPDATE_KINDS


def _kinds(body: dict[str, Any]) -> list[str]:
    return [next(k for k in update if k != "update_id") for update in body["result"]]


async def test_allowed_updates_are_honoured_and_remembered(emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 9, "Sam")
    _, body = await call(emulator, "getUpdates", allowed_updates=["callback_query"])
    sam.send_text("not wanted")
    sam.press(1, "wanted")
    _, body = await call(emulator, "getUpdates")  # no list: the last one holds
    assert _kinds(body) == ["callback_query"]
    offset = body["result"][-1]["update_id"] + 1
    _, body = await call(emulator, "getUpdates", offset=offset, allowed_updates=[])
    emulator.push_update({"chat_member": {"chat": {"id": -5, "type": "group", "title": "G"}}})
    sam.block_bot()  # my_chat_member: in the default list
    _, body = await call(emulator, "getUpdates", offset=offset)
    assert _kinds(body) == ["my_chat_member"] and emulator.filtered_updates == 2


async def test_set_webhook_sets_the_kinds_too() -> None:
    async with running(allow_local_webhook=True) as emu:
        status, _ = await call(emu, "setWebhook", url="https://example.org/hook",
                               allowed_updates=["message"])
        assert status == 200 and emu.allowed_updates == {"message"}
        await call(emu, "deleteWebhook")
        SimulatedPerson(emu, 3, "Sam").press(1, "x")
        assert emu.unconfirmed_updates == 0


async def test_updates_nobody_took_are_gone_after_24_hours() -> None:
    clock = Clock()
    async with running(clock=clock) as emu:
        sam = SimulatedPerson(emu, 4, "Sam")
        sam.send_text("sent while the bot was down")
        clock.at += UPDATE_LIFETIME_SECONDS - 60
        sam.send_text("sent a day later")
        _, body = await call(emu, "getUpdates", timeout=0)
        assert len(body["result"]) == 2  # not yet
        clock.at += 120
        _, body = await call(emu, "getUpdates", timeout=0)
        assert [u["message"]["text"] for u in body["result"]] == ["sent a day later"]
        assert emu.expired_updates == 1 and emu.unconfirmed_updates == 1


# ----- webhooks -------------------------------------------------------------------------

async def test_set_webhook_wants_https_on_telegrams_ports() -> None:
    assert not BotApiEmulator(TOKEN).allow_local_webhook  # as Telegram, by default
    async with running(allow_local_webhook=False) as emu:
        for url, error in (("http://example.org/hook", NOT_HTTPS),
                           ("https://example.org:8080/hook", BAD_PORT),
                           ("http://127.0.0.1:8443/hook", NOT_HTTPS)):
            status, body = await call(emu, "setWebhook", url=url)
            assert (status, body["description"]) == (400, error), url
        for port in ("", ":80", ":88", ":443", ":8443"):
            status, body = await call(emu, "setWebhook", url=f"https://example.org{port}/h")
            assert status == 200, (port, body)
        await call(emu, "deleteWebhook")
    async with running(allow_local_webhook=True) as emu:
        status, _ = await call(emu, "setWebhook", url="http://127.0.0.1:8080/hook")
        assert status == 200
        status, body = await call(emu, "setWebhook", url="https://example.org:8080/hook")
        assert (status, body["description"]) == (400, BAD_PORT)  # only this machine is let off


Answer = Callable[[dict[str, Any], int], web.StreamResponse]


@asynccontextmanager
async def hook_server(answer: Callable[[dict[str, Any], int], Any]) -> AsyncIterator[
        tuple[str, list[tuple[str, float, float]]]]:
    """A webhook receiver: `answer(update, nth try of it)` is awaited for each POST; yields
    its URL and a log of (text, began, ended) per POST."""
    seen: list[tuple[str, float, float]] = []
    tries: dict[int, int] = {}

    async def receive(request: web.Request) -> web.Response:
        update = await request.json()
        began = time.monotonic()
        tries[update["update_id"]] = tries.get(update["update_id"], 0) + 1
        status = await answer(update, tries[update["update_id"]])
        seen.append((update["message"]["text"], began, time.monotonic()))
        return web.Response(status=status)

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/hook", seen
    finally:
        await runner.cleanup()


async def test_webhook_chats_go_in_parallel_and_each_in_order() -> None:
    async def slow_for_ann(update: dict[str, Any], _: int) -> int:
        if update["message"]["chat"]["id"] == 1:
            await asyncio.sleep(0.4)
        return 200

    async with running(allow_local_webhook=True) as emu, hook_server(slow_for_ann) as (
            url, seen):
        ann, bob = SimulatedPerson(emu, 1, "Ann"), SimulatedPerson(emu, 2, "Bob")
        ann.send_text("ann 1")
        ann.send_text("ann 2")
        bob.send_text("bob 1")
        await call(emu, "setWebhook", url=url)
        assert await emu.wait_until(lambda: emu.unconfirmed_updates == 0, 5)
    when = {text: (began, ended) for text, began, ended in seen}
    assert when["bob 1"][1] < when["ann 1"][1]  # Bob did not wait behind Ann
    assert when["ann 2"][0] >= when["ann 1"][1]  # Ann's second waited for her first
    assert [text for text, _, _ in seen if text.startswith("ann")] == ["ann 1", "ann 2"]


async def test_a_failing_webhook_is_retried_with_doubling_waits() -> None:
    async def fails_four_times(_: dict[str, Any], nth: int) -> int:
        return 500 if nth <= 4 else 200

    async with running(allow_local_webhook=True, webhook_retry=WebhookRetry(first=0.1)) as emu, \
            hook_server(fails_four_times) as (url, seen):
        SimulatedPerson(emu, 1, "Ann").send_text("hello")
        await call(emu, "setWebhook", url=url)
        assert await emu.wait_until(lambda: emu.unconfirmed_updates == 0, 10)
        _, info = await call(emu, "getWebhookInfo")
        assert info["result"]["last_error_message"].startswith("Wrong response from the webhook")
        assert emu.webhook is not None and emu.webhook.delivered == 1
    starts = [began for _, began, _ in seen]
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert len(gaps) == 4  # 0.1 s, then 0.2, 0.4, 0.8 (and the time each POST took)
    assert all(gap >= 0.095 * 2 ** n for n, gap in enumerate(gaps)), gaps
    assert gaps[0] < 0.4, gaps


async def test_a_webhook_gives_up_an_update_at_24_hours_and_goes_on() -> None:
    clock = Clock()
    failing = True

    async def fails_while_told(_: dict[str, Any], __: int) -> int:
        return 500 if failing else 200

    async with running(allow_local_webhook=True, clock=clock,
                       webhook_retry=WebhookRetry(first=0.05, most=0.1)) as emu, \
            hook_server(fails_while_told) as (url, seen):
        ann = SimulatedPerson(emu, 1, "Ann")
        ann.send_text("lost")
        await call(emu, "setWebhook", url=url)
        await until(lambda: len(seen) >= 3, 5)
        assert emu.unconfirmed_updates == 1  # kept, and tried again
        failing = False
        clock.at += UPDATE_LIFETIME_SECONDS + 1
        ann.send_text("new")
        assert await emu.wait_until(lambda: emu.unconfirmed_updates == 0, 5)
        assert emu.webhook is not None and emu.webhook.given_up == 1
    assert [text for text, _, _ in seen].count("new") == 1
    assert emu.expired_updates == 1 and emu.confirmed_updates == 1


async def test_a_webhook_can_give_up_after_some_tries() -> None:
    async def always_fails(_: dict[str, Any], __: int) -> int:
        return 502

    retry = WebhookRetry(first=0.02, max_attempts=3)
    async with running(allow_local_webhook=True, webhook_retry=retry) as emu, \
            hook_server(always_fails) as (url, seen):
        SimulatedPerson(emu, 1, "Ann").send_text("doomed")
        await call(emu, "setWebhook", url=url)
        assert await emu.wait_until(lambda: emu.unconfirmed_updates == 0, 5)
    assert len(seen) == 3 and emu.expired_updates == 1


# ----- flood limits on edits and answers ------------------------------------------------

async def test_edits_and_answers_meet_429s_apart_from_sends() -> None:
    limits = FloodLimits(seconds=5.0)  # slow windows, so that a loaded machine keeps up
    async with running(enforce_flood_limits=True, limits=limits) as emu:
        sam = SimulatedPerson(emu, 8, "Sam")
        _, sent = await call(emu, "sendMessage", chat_id=8, text="v0")
        message_id = sent["result"]["message_id"]
        statuses = [(await call(emu, "editMessageText", chat_id=8, message_id=message_id,
                                text=f"v{n}"))[0] for n in range(1, EDIT_BURST + 2)]
        assert statuses == [200] * EDIT_BURST + [429]
        async with Bot(TOKEN, base_url=emu.base_url) as bot:
            with pytest.raises(RetryAfter) as told:
                await bot.edit_message_text("again", chat_id=8, message_id=message_id)
            assert 1 <= told.value.retry_after.total_seconds() <= 100  # type: ignore[union-attr]
            queries = [sam.press(message_id, "x") for _ in range(limits.overall + 1)]
            answers = [(await call(emu, "answerCallbackQuery", callback_query_id=q))
                       for q in queries]
        assert [status for status, _ in answers] == [200] * limits.overall + [429]
        assert answers[-1][1]["parameters"]["retry_after"] >= 1
        assert (emu.edit_breaches, emu.answer_breaches, emu.flood_breaches) == (2, 1, 0)
        assert len(emu.arrivals) == 1  # the one send, as the benchmarks count them


async def test_edit_breaches_are_counted_when_not_enforced() -> None:
    async with running(limits=FloodLimits(seconds=5.0)) as emu:
        SimulatedPerson(emu, 8, "Sam")
        _, sent = await call(emu, "sendMessage", chat_id=8, text="v0")
        for n in range(EDIT_BURST + 1):
            status, _ = await call(emu, "editMessageText", chat_id=8,
                                   message_id=sent["result"]["message_id"], text=f"v{n + 1}")
            assert status == 200
        assert emu.edit_breaches == 1 and emu.flood_breaches == 0
