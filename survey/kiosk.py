"""Kiosk mode of the staff questionnaire: the tablet handed from colleague to colleague.

A city clerk starts the kiosk for one open wave (optionally setting a PIN). From then on the
clerk's session answers nothing but that wave's answer, thank-you and exit pages: every other
URL (the engagement's data, the list of engagements, admin, sign-out) is redirected back to the
answer page by ``KioskMiddleware``. The clerk leaves the kiosk with their password or the PIN.
The PIN is stored hashed in the session. The password is checked by ``authenticate()``, so
django-axes counts every wrong one with the sign-in's and locks the user out as it would at
the sign-in page. Any ``PIN_ATTEMPTS`` wrong entries (PIN or password) lock the exit itself
for django-axes' cool-off (``AXES_COOLOFF_TIME``), whatever is entered then: the tablet is no
oracle for guessing either.
"""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, make_password
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

SESSION_KEY = "questionnaire_kiosk"
PIN_ATTEMPTS = 5


class ExitOutcome(enum.Enum):
    ENDED = "ended"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class Kiosk:
    engagement_pk: int
    wave_pk: int
    pin_hash: str
    failures: int
    locked_until: datetime | None = None

    def url(self, name: str) -> str:
        return reverse(
            f"survey:questionnaire_{name}",
            kwargs={"engagement_pk": self.engagement_pk, "wave_pk": self.wave_pk},
        )

    @property
    def allowed_paths(self) -> set[str]:
        return {self.url("answer"), self.url("thanks"), self.url("kiosk_exit")}

    @property
    def pin_usable(self) -> bool:
        return bool(self.pin_hash) and not self.locked()

    def locked(self) -> bool:
        return self.locked_until is not None and timezone.now() < self.locked_until


def kiosk_of(request) -> Kiosk | None:
    data = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not data:
        return None
    locked_until = data.get("locked_until")
    return Kiosk(data["engagement"], data["wave"], data.get("pin", ""), data.get("failures", 0),
                 datetime.fromisoformat(locked_until) if locked_until else None)


def kiosk_start(request, *, engagement_pk: int, wave_pk: int, pin: str = "") -> Kiosk:
    request.session[SESSION_KEY] = {
        "engagement": engagement_pk,
        "wave": wave_pk,
        "pin": make_password(pin) if pin else "",
        "failures": 0,
    }
    return kiosk_of(request)


def cool_off() -> timedelta:
    return timedelta(hours=float(getattr(settings, "AXES_COOLOFF_TIME", 1) or 1))


def _is_clerks_password(request, secret: str) -> bool:
    """The password through the authentication backends: django-axes sees (and counts) it and
    refuses it while the user or address is locked out."""
    user = authenticate(request, username=request.user.get_username(), password=secret)
    return user is not None and user.pk == request.user.pk


def kiosk_try_exit(request, secret: str) -> ExitOutcome:
    """End the kiosk if ``secret`` is the kiosk's PIN or the clerk's password, unless the exit
    is locked after ``PIN_ATTEMPTS`` wrong entries."""
    kiosk = kiosk_of(request)
    if kiosk is None:
        return ExitOutcome.ENDED
    if kiosk.locked():
        return ExitOutcome.LOCKED
    pin_ok = bool(secret) and kiosk.pin_usable and check_password(secret, kiosk.pin_hash)
    if pin_ok or (bool(secret) and _is_clerks_password(request, secret)):
        del request.session[SESSION_KEY]
        return ExitOutcome.ENDED
    data = request.session[SESSION_KEY]
    data["failures"] = kiosk.failures + 1
    if data["failures"] >= PIN_ATTEMPTS:
        data["failures"] = 0
        data["locked_until"] = (timezone.now() + cool_off()).isoformat()
    request.session[SESSION_KEY] = data
    return ExitOutcome.LOCKED if kiosk_of(request).locked() else ExitOutcome.WRONG


class KioskMiddleware:
    """While a kiosk runs in the session, every other page leads back to the answer page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kiosk = kiosk_of(request)
        if kiosk is not None and not self._allowed(request.path, kiosk):
            return redirect(kiosk.url("answer"))
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str, kiosk: Kiosk) -> bool:
        if path in kiosk.allowed_paths:
            return True
        return path.startswith(settings.STATIC_URL) or path == "/favicon.ico"
