"""Which updates are parts of one message, and the one message made of them
(bot/gathering.py), without a bot: the rules the journeys in
tests/journeys/test_albums_and_pastes.py rely on."""

from __future__ import annotations

from typing import Any

from telegram import Bot, Update

from carebot.bot import gathering
from carebot.bot.gathering import Kind, Media, first_part, media_in, merged, parts_after

BOT = Bot("1:TEST")
SAM = {"id": 7, "is_bot": False, "first_name": "Sam"}
_ids = iter(range(1, 1000))


def _update(date: int = 1_800_000_000, **content: Any) -> Update:
    n = next(_ids)
    message = {"message_id": n, "date": date, "chat": {"id": 7, "type": "private"},
               "from": SAM, **content}
    update = Update.de_json({"update_id": n, "message": message}, BOT)
    assert update is not None
    return update


def _photo(group: str, file_id: str, **content: Any) -> Update:
    return _update(media_group_id=group, **content, photo=[
        {"file_id": f"{file_id}-small", "file_unique_id": "s", "width": 90, "height": 90},
        {"file_id": file_id, "file_unique_id": "l", "width": 900, "height": 900}])


def test_only_an_album_or_a_text_over_half_the_limit_may_wait_for_more() -> None:
    """The apps cut a paste in the second half of Telegram's limit."""
    assert first_part(_update(text="Hello")) is None
    assert first_part(_update(text="x" * 2048)) is None
    assert first_part(_update(text="x" * 2049)) is Kind.PASTE
    assert first_part(_update(text="😀" * 1025)) is Kind.PASTE  # 2,050 in UTF-16
    assert first_part(_photo("g", "a")) is Kind.ALBUM
    assert first_part(_update(photo=[{"file_id": "a", "file_unique_id": "a", "width": 1,
                                      "height": 1}])) is None
    command = _update(text="/start " + "x" * 4000,
                      entities=[{"type": "bot_command", "offset": 0, "length": 6}])
    assert first_part(command) is None


def test_an_albums_parts_are_whole_once_something_else_comes() -> None:
    first, second, third = _photo("g", "a"), _photo("g", "b"), _photo("g", "c")
    other = _photo("h", "d")
    assert parts_after(Kind.ALBUM, first, [second]) == ([second], False)
    assert parts_after(Kind.ALBUM, first, [second, third, other]) == ([second, third], True)


def test_a_paste_ends_at_a_shorter_part_or_at_what_cannot_be_its_part() -> None:
    first, second, last = (_update(text="x" * 4096), _update(text="y" * 4096),
                           _update(text="z" * 10))
    assert parts_after(Kind.PASTE, first, [second]) == ([second], False)
    assert parts_after(Kind.PASTE, first, [second, last]) == ([second, last], True)
    later = _update(date=1_800_000_000 + gathering.PASTE_GAP_SECONDS + 1, text="z")
    assert parts_after(Kind.PASTE, first, [later]) == ([], True)
    assert parts_after(Kind.PASTE, first, [_photo("g", "a")]) == ([], True)


def test_a_merged_paste_moves_each_parts_entities_to_where_its_words_are() -> None:
    first = _update(text="😀" + "x" * 4094)  # 4,096 in UTF-16: cut at the limit
    second = _update(text="and bold", entities=[{"type": "bold", "offset": 4, "length": 4}])
    message = merged([first, second]).message
    assert message is not None and message.text == "😀" + "x" * 4094 + "and bold"
    assert message.parse_entity(message.entities[0]) == "bold"
    assert message.message_id == first.message.message_id  # type: ignore[union-attr]


def test_a_paste_is_joined_with_what_the_apps_cut_took_out() -> None:
    lines = "\n".join(["A line of the letter from the council about the new rota."] * 50)
    cut = lines.rindex("\n", 0, 4096)  # the last line break: the app cuts there
    at_a_line_break = [_update(text=lines[:cut]), _update(text=lines[cut + 1:])]
    assert _text(merged(at_a_line_break)) == lines
    words = " ".join(["Words without a line break in them at all."] * 120)
    cut = words.rindex(" ", 0, 4096)
    assert _text(merged([_update(text=words[:cut]), _update(text=words[cut + 1:])])) == words
    assert _text(merged([_update(text=words[:4096]), _update(text=words[4096:])])) == words


def _text(update: Update) -> str | None:
    return None if update.message is None else update.message.text


def test_a_merged_album_keeps_every_photo_and_the_caption_wherever_it_was() -> None:
    parts = [_photo("g", "a"), _photo("g", "b", caption="The stairs"), _photo("g", "c")]
    message = merged(parts).message
    assert message is not None and message.caption == "The stairs"
    assert media_in(message) == [Media("photo", "a"), Media("photo", "b"),
                                 Media("photo", "c")]
    assert merged(parts).update_id == parts[0].update_id


def _at_once(arrivals: gathering.Arrivals, arrival: gathering.Arrival) -> list[Update]:
    """`arrivals.parts(…)` run to its end without once waiting; fails if it would wait."""
    step = arrivals.parts(7, arrival)
    try:
        step.send(None)
    except StopIteration as done:
        parts: list[Update] = done.value
        return parts
    step.close()
    raise AssertionError("it waited")


async def test_an_ordinary_message_never_waits_nor_a_whole_album() -> None:
    arrivals = gathering.Arrivals()
    ordinary = arrivals.came(7, _update(text="Hello"))
    assert _at_once(arrivals, ordinary) == [ordinary.update]
    first = arrivals.came(7, _photo("g", "a"))
    second = arrivals.came(7, _photo("g", "b"))
    arrivals.came(7, _update(text="And the stairs"))
    assert _at_once(arrivals, first) == [first.update, second.update]
    assert second.taken
