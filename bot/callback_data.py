"""A button's callback data, declared once (as aiogram's `CallbackData` is): a prefix and
typed fields. The pattern PTB routes by, `pack()` and `unpack()` are derived from them, so
they cannot disagree. Old buttons stay in people's chats for months: a declaration must
keep reading (and making) the very data it did, byte for byte (tests/bot/test_buttons.py).

    @dataclass(frozen=True)
    class AckButton(CallbackData, prefix="ack"):
        alert_id: Id
        outcome: Annotated[str, OneOf(OUTCOMES), Trailing(always_written=True)] = "dealing"

packs as "ack|12|dealing" and reads "ack|12" (from before there was an outcome) too."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Self, get_args, get_origin, get_type_hints

SEPARATOR = "|"


class Part:
    """How one field is written in the data: a regex, and the two ways across."""

    @property
    def regex(self) -> str:
        raise NotImplementedError

    def write(self, value: Any) -> str:
        return str(value)

    def read(self, written: str) -> Any:
        return written


@dataclass(frozen=True)
class Digits(Part):
    """A number of at most `most` digits (as `\\d` means: a forged one may use any script's)."""

    most: int

    @property
    def regex(self) -> str:
        return rf"\d{{1,{self.most}}}"

    def read(self, written: str) -> int:
        return int(written)


@dataclass(frozen=True)
class Numbers(Part):
    """One of a few numbers."""

    options: tuple[int, ...]

    @property
    def regex(self) -> str:
        return _choice(str(option) for option in self.options)

    def read(self, written: str) -> int:
        return int(written)


@dataclass(frozen=True)
class Weekday(Part):
    """0 (Monday) to 6; `none` is the word written for None, if it may be None."""

    none: str | None = None

    @property
    def regex(self) -> str:
        return "[0-6]" if self.none is None else f"[0-6]|{re.escape(self.none)}"

    def write(self, value: int | None) -> str:
        if value is not None:
            return str(value)
        if self.none is None:
            raise ValueError("no weekday, and no word for none")
        return self.none

    def read(self, written: str) -> int | None:
        return None if written == self.none else int(written)


@dataclass(frozen=True)
class OneOf(Part):
    """One of a fixed set of words."""

    options: tuple[str, ...]

    @property
    def regex(self) -> str:
        return _choice(self.options)


@dataclass(frozen=True)
class Word(Part):
    """Lower-case letters and underscores, at most `most` of them; what they mean is the
    handler's to check (a word that fits but means nothing is a forged tap)."""

    most: int

    @property
    def regex(self) -> str:
        return rf"[a-z_]{{1,{self.most}}}"


@dataclass(frozen=True)
class YesNo(Part):
    """True or False, written "yes" or "no"."""

    @property
    def regex(self) -> str:
        return "yes|no"

    def write(self, value: bool) -> str:
        return "yes" if value else "no"

    def read(self, written: str) -> bool:
        return written == "yes"


@dataclass(frozen=True)
class Trailing:
    """The field may be missing from the end of the data: read as its default. It is left
    off when it has its default, unless `always_written` (a field added later, which old
    buttons lack but new ones always carry)."""

    always_written: bool = False


def _choice(options: Sequence[str] | Any) -> str:
    return "|".join(re.escape(option) for option in options)


Id = Annotated[int, Digits(12)]  # a record's id
Offset = Annotated[int, Digits(6)]  # how far into a list a page starts


@dataclass(frozen=True)
class _Field:
    name: str
    part: Part
    trailing: Trailing | None
    default: Any


class CallbackData:
    """What every kind of button has: its `prefix`, given as `class X(CallbackData,
    prefix="x")`, and fields written after it, each a `Part` in `Annotated[...]`. The
    fields and pattern are read from the declaration on first use, since `@dataclass`
    runs after the class (and this hook) is made; the tests use every kind's."""

    prefix: ClassVar[str]
    by_prefix: ClassVar[dict[str, type[CallbackData]]] = {}
    _fields: ClassVar[tuple[_Field, ...]]
    _pattern: ClassVar[re.Pattern[str]]

    def __init_subclass__(cls, prefix: str | None = None, **kwargs: Any) -> None:
        """Keep each prefix for one kind; no prefix: a base for kinds, not a kind."""
        super().__init_subclass__(**kwargs)
        if prefix is None:
            return
        if prefix in CallbackData.by_prefix or SEPARATOR in prefix:
            raise TypeError(f"{cls.__name__}: prefix {prefix!r} is taken or has a '|'")
        cls.prefix = prefix
        CallbackData.by_prefix[prefix] = cls

    @classmethod
    def fields(cls) -> tuple[_Field, ...]:
        """The fields in the order they are written, read once from the declaration."""
        if "_fields" not in cls.__dict__:
            hints = get_type_hints(cls, include_extras=True)
            cls._fields = tuple(_field(item.name, hints[item.name], item.default)
                                # each kind is a dataclass; this base is not
                                for item in dataclasses.fields(cls))  # type: ignore[arg-type]
            _check_trailing_last(cls)
        return cls._fields

    @classmethod
    def pattern(cls) -> re.Pattern[str]:
        """Exactly the data `pack()` makes (and, for trailing fields, older data)."""
        if "_pattern" not in cls.__dict__:
            body = ""
            for field in reversed(cls.fields()):
                piece = rf"\{SEPARATOR}({field.part.regex}){body}"
                body = piece if field.trailing is None else rf"(?:{piece})?"
            cls._pattern = re.compile(rf"^{re.escape(cls.prefix)}{body}\Z")
        return cls._pattern

    def pack(self) -> str:
        written = list(self.fields())
        while written and _left_off(written[-1], getattr(self, written[-1].name)):
            written.pop()
        return SEPARATOR.join([self.prefix, *(field.part.write(getattr(self, field.name))
                                              for field in written)])

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        """What this button's data means, or None if it is not this kind's."""
        match = cls.pattern().match(data or "")
        if match is None:
            return None
        values = {field.name: field.part.read(written)
                  for field, written in zip(cls.fields(), match.groups(), strict=True)
                  if written is not None}  # a trailing field left off: its default
        return cls(**values)


def _field(name: str, hint: Any, default: Any) -> _Field:
    if get_origin(hint) is not Annotated:
        raise TypeError(f"field {name} says nothing of how it is written: use Annotated")
    extras = get_args(hint)[1:]
    parts = [extra for extra in extras if isinstance(extra, Part)]
    trailing = [extra for extra in extras if isinstance(extra, Trailing)]
    if len(parts) != 1:
        raise TypeError(f"field {name} needs exactly one Part")
    return _Field(name, parts[0], trailing[0] if trailing else None, default)


def _check_trailing_last(cls: type[CallbackData]) -> None:
    kinds = [field.trailing is not None for field in cls._fields]
    if kinds != sorted(kinds):
        raise TypeError(f"{cls.__name__}: only the last fields may be Trailing")


def _left_off(field: _Field, value: Any) -> bool:
    return (field.trailing is not None and not field.trailing.always_written
            and value == field.default)
