"""JSON bodies checked against a declared shape before any service sees them.

A JSON endpoint declares what it accepts (``Obj``, ``ListOf``, ``Num``, ``Int``, ``Str``,
``Bool``, ``Nullable``) and calls ``parse_json(body, shape)``; anything else, including
``NaN``/``Infinity``/``1e400``, a NUL in a string, a list where an object belongs or an
unknown key, raises ``ShapeError`` with a Japanese message naming the place, which the view
answers with HTTP 400. Services then receive plain dicts, lists, finite numbers and strings.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from django.http import JsonResponse
from django.utils.translation import gettext as _


class ShapeError(ValueError):
    pass


def _where(path: str) -> str:
    return path or _("the body")


@dataclass(frozen=True)
class Num:
    minimum: float = -1e7
    maximum: float = 1e7

    def check(self, value, path: str):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ShapeError(_("%(where)s must be a number.") % {"where": _where(path)})
        if not math.isfinite(value) or not self.minimum <= value <= self.maximum:
            raise ShapeError(_("%(where)s must be a number from %(min)s to %(max)s.")
                             % {"where": _where(path), "min": f"{self.minimum:g}",
                                "max": f"{self.maximum:g}"})
        return value


@dataclass(frozen=True)
class Int(Num):
    minimum: float = 0
    maximum: float = 2**53

    def check(self, value, path: str):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ShapeError(_("%(where)s must be a whole number.") % {"where": _where(path)})
        return super().check(value, path)


@dataclass(frozen=True)
class Str:
    max_length: int = 200

    def check(self, value, path: str):
        if not isinstance(value, str):
            raise ShapeError(_("%(where)s must be text.") % {"where": _where(path)})
        if "\x00" in value or len(value) > self.max_length:
            raise ShapeError(_("%(where)s must be text of at most %(n)s characters, without "
                               "control characters.") % {"where": _where(path),
                                                         "n": self.max_length})
        return value


@dataclass(frozen=True)
class Bool:
    def check(self, value, path: str):
        if not isinstance(value, bool):
            raise ShapeError(_("%(where)s must be true or false.") % {"where": _where(path)})
        return value


@dataclass(frozen=True)
class Nullable:
    inner: object

    def check(self, value, path: str):
        return None if value is None else self.inner.check(value, path)


@dataclass(frozen=True)
class ListOf:
    inner: object
    max_items: int = 10_000

    def check(self, value, path: str):
        if not isinstance(value, list):
            raise ShapeError(_("%(where)s must be a list.") % {"where": _where(path)})
        if len(value) > self.max_items:
            raise ShapeError(_("%(where)s has more than %(n)s entries.")
                             % {"where": _where(path), "n": self.max_items})
        return [self.inner.check(v, f"{path}[{i + 1}]") for i, v in enumerate(value)]


@dataclass(frozen=True)
class Obj:
    fields: dict = field(default_factory=dict)
    required: frozenset = frozenset()
    # True: keys not declared are dropped (a client may send more than the server reads).
    ignore_unknown: bool = False

    def check(self, value, path: str):
        if not isinstance(value, dict):
            raise ShapeError(_("%(where)s must be an object.") % {"where": _where(path)})
        unknown = sorted(set(value) - set(self.fields))
        if unknown and self.ignore_unknown:
            value = {k: v for k, v in value.items() if k in self.fields}
        elif unknown:
            raise ShapeError(_("%(where)s has an unknown key: %(key)s.")
                             % {"where": _where(path), "key": unknown[0][:40]})
        missing = sorted(self.required - set(value))
        if missing:
            raise ShapeError(_("%(where)s lacks %(key)s.")
                             % {"where": _where(path), "key": missing[0]})
        return {k: self.fields[k].check(v, f"{path}.{k}" if path else k)
                for k, v in value.items()}


# Limits of every JSON body, before its shape is checked: far above what an editor sends.
MAX_BYTES = 2_000_000
MAX_DEPTH = 20
MAX_INT_DIGITS = 16


def _refuse_constant(name):
    raise ShapeError(_("The body contains %(value)s, which is not a number.") % {"value": name})


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ShapeError(_("The body contains %(value)s, which is not a number.")
                         % {"value": text[:20]})
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ShapeError(_("The body contains a number with more than %(n)s digits.")
                         % {"n": MAX_INT_DIGITS})
    return int(text)


def _depth_exceeds(value, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def parse_json(body: bytes | str, shape, *, max_bytes: int = MAX_BYTES,
               max_depth: int = MAX_DEPTH):
    """The body, parsed and checked against ``shape``; ``ShapeError`` otherwise.

    The one way to read a JSON request: a body larger than ``max_bytes``, nesting deeper
    than ``max_depth``, a number of more than 16 digits or not finite (``NaN``, ``1e400``)
    is refused before the shape (and any service) sees it.
    """
    if len(body or b"") > max_bytes:
        raise ShapeError(_("The body is larger than %(n)s bytes.") % {"n": f"{max_bytes:,}"})
    try:
        value = json.loads(body or b"null", parse_constant=_refuse_constant, parse_float=_float,
                           parse_int=_int)
    except ShapeError:
        raise
    except RecursionError as exc:
        raise ShapeError(_("The body nests deeper than %(n)s levels.") % {"n": max_depth}) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ShapeError(_("The body is not valid JSON.")) from exc
    if _depth_exceeds(value, max_depth):
        raise ShapeError(_("The body nests deeper than %(n)s levels.") % {"n": max_depth})
    return shape.check(value, "")


def parse_json_request(request, shape, **limits):
    """``parse_json`` of a request's body; a body that is not sent as JSON is refused."""
    if request.content_type != "application/json":
        raise ShapeError(_("The body must be sent as JSON."))
    return parse_json(request.body, shape, **limits)


def json_error(exc: ShapeError, *lead: str) -> JsonResponse:
    """The HTTP 400 answer to a refused JSON body: ``{"ok": false, "errors": [...]}``."""
    return JsonResponse({"ok": False, "errors": [*lead, str(exc)]}, status=400)
