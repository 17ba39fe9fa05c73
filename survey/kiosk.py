"""Kiosk mode of the staff questionnaire: the tablet handed from colleague to colleague.

A city clerk starts the kiosk for one open wave (optionally setting a PIN). From then on the
clerk's session answers nothing but that wave's answer, thank-you and exit pages: every other
URL (the engagement's data, the list of engagements, admin, sign-out) is redirected back to the
answer page by ``KioskMiddleware``. The clerk leaves the kiosk with their password or the PIN.
The PIN is stored hashed in the session; after ``PIN_ATTEMPTS`` wrong entries only the
password is accepted.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "questionnaire_kiosk"
PIN_ATTEMPTS = 5


@dataclass(frozen=True)
class Kiosk:
    engagement_pk: int
    wave_pk: int
    pin_hash: str
    failures: int

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
        return bool(self.pin_hash) and self.failures < PIN_ATTEMPTS


def kiosk_of(request) -> Kiosk | None:
    data = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not data:
        return None
    return Kiosk(data["engagement"], data["wave"], data.get("pin", ""), data.get("failures", 0))


def kiosk_start(request, *, engagement_pk: int, wave_pk: int, pin: str = "") -> Kiosk:
    request.session[SESSION_KEY] = {
        "engagement": engagement_pk,
        "wave": wave_pk,
        "pin": make_password(pin) if pin else "",
        "failures": 0,
    }
    return kiosk_of(request)


def kiosk_try_exit(request, secret: str) -> bool:
    """End the kiosk if ``secret`` is the clerk's password or the kiosk's PIN."""
    kiosk = kiosk_of(request)
    if kiosk is None:
        return True
    ok = bool(secret) and (
        request.user.check_password(secret)
        or (kiosk.pin_usable and check_password(secret, kiosk.pin_hash))
    )
    if ok:
        del request.session[SESSION_KEY]
        return True
    data = request.session[SESSION_KEY]
    data["failures"] = kiosk.failures + 1
    request.session[SESSION_KEY] = data
    return False


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
