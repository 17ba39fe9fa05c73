"""Refuses a request carrying a NUL character anywhere a user types text, before any view.

A NUL (``\\x00``) is never part of what a person enters, and PostgreSQL refuses it in text
(``A string literal cannot contain NUL``): a value that slipped past a form (a raw
``request.POST`` read, a formset's extra key, a JSON body outside ``jsonshape``) ended in a
500 with part of the change written. Checking once here covers forms, formsets, query
strings and JSON bodies alike; uploaded files' contents are not text and are not checked.
"""

from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

# The escape of NUL inside a JSON string; a raw NUL byte is refused as well.
_JSON_NUL = (b"\x00", b"\\u0000")


def _has_nul(querydict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values)
               for key, values in querydict.lists())


def _is_form(request) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "")
    return content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded"))


def request_has_nul(request) -> bool:
    # (A NUL in the path itself reaches no query: paths are matched by the URL conf, and
    # /media/ refuses it with 404.)
    if _has_nul(request.GET):
        return True
    if request.method != "POST":
        return False
    if _is_form(request):
        return _has_nul(request.POST)
    body = request.body
    return any(marker in body for marker in _JSON_NUL)


class NulCharacterMiddleware:
    """Answers 400 when any text input contains a NUL: text to a browser's page, else JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = request_has_nul(request)
        except MultiPartParserError:
            return HttpResponseBadRequest(_("The form could not be read. Send it again."),
                                          content_type="text/plain; charset=utf-8")
        if refused:
            message = _("The input cannot be read: it contains a control character (NUL).")
            # A page's form (the browser asks for HTML) gets text; scripts get the JSON shape
            # of every JSON endpoint's refusal.
            if "text/html" in request.META.get("HTTP_ACCEPT", ""):
                return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
            return JsonResponse({"ok": False, "errors": [message]}, status=400)
        return self.get_response(request)


def as_id(value) -> int | None:
    """``value`` (text from a form or a query string) as an object id, or ``None`` when it is
    not one: only 1 to 18 ASCII digits (a key column's range), never text or a huge number."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None
