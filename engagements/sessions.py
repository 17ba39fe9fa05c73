"""The idle timeout of a session without a database write on every request.

A session ends after ``SESSION_COOKIE_AGE`` (a working day) without a request. Django's
``SESSION_SAVE_EVERY_REQUEST`` renews it by writing the session row on every request; this
middleware writes it only when the last renewal is ``RENEW_AFTER_SECONDS`` old (or the request
changed the session anyway), so a clerk clicking through pages costs one write every few
minutes instead of one per page. The session therefore ends between
``SESSION_COOKIE_AGE - RENEW_AFTER_SECONDS`` and ``SESSION_COOKIE_AGE`` after the last request.
"""

import time

from django.conf import settings

RENEWED_KEY = "_renewed_at"
RENEW_AFTER_SECONDS = 5 * 60


def renew_after() -> int:
    return getattr(settings, "SESSION_RENEW_AFTER_SECONDS", RENEW_AFTER_SECONDS)


class IdleSessionMiddleware:
    """Marks an existing session for saving when its last renewal is older than
    ``SESSION_RENEW_AFTER_SECONDS``; Django's SessionMiddleware (listed before it) then writes
    the row with a new expiry date."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # No key: an anonymous visitor without a session, or a session just flushed (sign-out).
        if session is None or session.session_key is None:
            return response
        renewed = session.get(RENEWED_KEY, 0)  # loads the session if nothing else did
        if session.session_key is None:  # the cookie named a session that has expired
            return response
        now = int(time.time())
        if session.modified or now - renewed >= renew_after():
            session[RENEWED_KEY] = now
        return response
