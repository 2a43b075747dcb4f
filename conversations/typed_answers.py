"""Reading a typed answer to a button question: "good", "5", "not great", 👍.

Only clear meanings are read; anything else returns None and the words are kept as
they are. On both scales 5 is the best and 1 the worst, as people usually mean it.
"""

from __future__ import annotations

import re

SKIP = "skip"
DONT_KNOW = "dont_know"

# Position on a five-point scale, best (0) to worst (4).
_QUALITY = {
    0: ("very good", "excellent", "great", "brilliant", "fantastic", "perfect", "amazing",
        "wonderful", "really good", "superb"),
    1: ("good", "fine", "pretty good", "quite good", "not bad", "nice", "lovely"),
    2: ("ok", "okay", "alright", "all right", "so so", "average", "neither",
        "neither good nor poor", "not sure if good", "middling"),
    3: ("poor", "bad", "not good", "not great", "not very good", "not so good", "rubbish"),
    4: ("very poor", "very bad", "terrible", "awful", "dreadful", "horrible", "appalling",
        "really bad"),
}
_HOW_OFTEN = {
    0: ("always", "yes", "yes always", "every time", "all the time", "definitely"),
    1: ("mostly", "usually", "most of the time", "yes mostly", "mainly"),
    2: ("sometimes", "some of the time", "now and then", "on and off"),
    3: ("not often", "rarely", "hardly ever", "not much", "seldom"),
    4: ("never", "no", "not at all", "no never"),
}
_FACES = {
    0: ("😀", "😃", "😄", "😁", "🥰", "😍", "❤️", "❤", "👍👍", "⭐⭐⭐⭐⭐"),
    1: ("🙂", "😊", "👍", "⭐⭐⭐⭐"),
    2: ("😐", "😶", "🤷", "⭐⭐⭐"),
    3: ("🙁", "☹️", "☹", "😕", "👎", "⭐⭐"),
    4: ("😞", "😢", "😭", "😡", "😠", "👎👎", "⭐"),
}
_DONT_KNOW = ("don't know", "dont know", "do not know", "not sure", "dunno", "no idea", "?")
_SKIP = ("skip", "pass", "next", "skip it", "rather not say")


def _table(groups: dict[int, tuple[str, ...]]) -> dict[str, int]:
    return {word: position for position, words in groups.items() for word in words}


_WORDS = {"very_good": _table(_QUALITY), "always": _table(_HOW_OFTEN)}
_FACE_TABLE = _table(_FACES)


def plain(typed: str) -> str:
    """Lower case, curly quotes straightened, punctuation and spaces tidied."""
    return _plain(typed)


def _plain(typed: str) -> str:
    lowered = typed.strip().lower().replace("’", "'")
    lowered = re.sub(r"[.!,;:]+", " ", lowered)
    return re.sub(r"\s+", " ", lowered).strip()


def read_choice(typed: str, choices: tuple[str, ...]) -> str | None:
    """The choice (or SKIP) that `typed` clearly means among `choices`, else None."""
    plain = _plain(typed)
    squeezed = plain.replace(" ", "")
    if plain in _SKIP:
        return SKIP
    if plain in _DONT_KNOW and DONT_KNOW in choices:
        return DONT_KNOW
    position: int | None = None
    if re.fullmatch(r"[1-5]", plain):
        position = 5 - int(plain)
    elif squeezed in _FACE_TABLE:
        position = _FACE_TABLE[squeezed]
    elif choices and choices[0] in _WORDS:
        position = _WORDS[choices[0]].get(plain)
    if position is None or position >= len(choices):
        return None
    return choices[position]
