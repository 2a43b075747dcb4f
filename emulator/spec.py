"""Checks a Bot API call against the published specification, as Telegram would.

The specification (Bot API 10.1, from the telegram-bot-api-spec project, MIT) ships beside
this file, so the emulator needs nothing outside the package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

SPEC_FILE = "telegram-bot-api.json"


class CallError(Exception):
    """A call Telegram would refuse: `code` is the HTTP status, `description` its words."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content: bytes


@cache
def load_spec() -> dict[str, Any]:
    raw = resources.files("carebot.emulator").joinpath(SPEC_FILE).read_text(encoding="utf-8")
    spec: dict[str, Any] = json.loads(raw)
    return spec


def method_names() -> frozenset[str]:
    return frozenset(load_spec()["methods"])


def _decoded(value: Any) -> Any:
    """Form fields arrive as text; objects, arrays, numbers and booleans as JSON in it."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _matches(value: Any, type_name: str, from_form: bool) -> bool:
    if type_name.startswith("Array of "):
        value = _decoded(value)
        inner = type_name.removeprefix("Array of ")
        return isinstance(value, list) and all(_matches(v, inner, False) for v in value)
    if type_name == "InputFile":
        return isinstance(value, UploadedFile | str)
    if type_name == "String":
        return isinstance(value, str)
    if type_name == "Integer":
        value = _decoded(value) if from_form or isinstance(value, str) else value
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "Float":
        value = _decoded(value) if from_form or isinstance(value, str) else value
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name == "Boolean":
        value = _decoded(value) if from_form or isinstance(value, str) else value
        return isinstance(value, bool)
    return _object_matches(_decoded(value), type_name)


def _object_matches(value: Any, type_name: str) -> bool:
    spec_type = load_spec()["types"].get(type_name)
    if spec_type is None or not isinstance(value, dict):
        return False
    if "subtypes" in spec_type:
        return any(_object_matches(value, sub) for sub in spec_type["subtypes"])
    try:
        _check_fields(value, spec_type.get("fields", []), from_form=False)
    except CallError:
        return False
    return True


def _check_fields(params: dict[str, Any], fields: list[dict[str, Any]], from_form: bool) -> None:
    for field in fields:
        name = field["name"]
        if name not in params or params[name] is None:
            if field["required"]:
                raise CallError(400, f"Bad Request: parameter \"{name}\" is required")
            continue
        if not any(_matches(params[name], t, from_form) for t in field["types"]):
            wanted = " or ".join(field["types"])
            raise CallError(400, f"Bad Request: can't parse \"{name}\": expected {wanted}")


def check_call(method: str, params: dict[str, Any], from_form: bool) -> None:
    """Raise CallError if Telegram would refuse this call for its shape alone."""
    spec = load_spec()["methods"].get(method)
    if spec is None:
        # Telegram matches method names without regard to case.
        by_lower = {m.lower(): m for m in load_spec()["methods"]}
        if method.lower() not in by_lower:
            raise CallError(404, "Not Found")
        spec = load_spec()["methods"][by_lower[method.lower()]]
    _check_fields(params, spec.get("fields", []), from_form)


def canonical_method(method: str) -> str:
    by_lower = {m.lower(): m for m in load_spec()["methods"]}
    return str(by_lower.get(method.lower(), method))


def decode_params(method: str, params: dict[str, Any], from_form: bool) -> dict[str, Any]:
    """Values as the emulator's handlers use them: JSON inside form fields decoded, except
    where the specification says a field is only ever text (so "5" stays "5")."""
    if not from_form:
        return dict(params)
    fields = load_spec()["methods"].get(canonical_method(method), {}).get("fields", [])
    text_only = {f["name"] for f in fields if f["types"] == ["String"]}
    return {
        k: v if isinstance(v, UploadedFile) or k in text_only else _decoded(v)
        for k, v in params.items()
    }
