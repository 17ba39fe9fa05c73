"""Japanese error pages in the site's layout: what happened and where to go next.

``handler403``/``handler404``/``handler500`` in ``office_reform/urls.py`` point here. Each page
offers a way on: the engagement's dashboard when the URL names an engagement the user belongs
to, else the list of engagements (or the sign-in page for a visitor who is not signed in).
"""

import logging

from django.http import HttpResponseServerError
from django.template import loader
from django.urls import reverse

logger = logging.getLogger(__name__)

_FALLBACK_500 = (
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>システムエラー</title>'
    "</head><body><main><h1>システムエラーが発生しました</h1>"
    "<p>しばらくしてからもう一度お試しください。続く場合はシステム管理者に連絡してください。</p>"
    '<p><a href="/">トップページへ</a></p></main></body></html>'
)


def _way_on(request) -> dict:
    """The link the error page offers: the engagement's dashboard if the user may see it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"way_on_url": reverse("login"), "way_on_label": "sign_in"}
    match = getattr(request, "resolver_match", None)
    engagement_pk = match.kwargs.get("engagement_pk") if match else None
    if engagement_pk is not None:
        from .models import Membership

        if Membership.objects.filter(
            engagement_id=engagement_pk, user=user, is_active=True
        ).exists():
            return {
                "way_on_url": reverse("engagements:dashboard", args=[engagement_pk]),
                "way_on_label": "dashboard",
            }
    return {"way_on_url": reverse("engagements:engagement_list"), "way_on_label": "list"}


def _render(request, template_name: str, status: int, context: dict):
    context = {**_way_on(request), "error_status": status, **context}
    body = loader.get_template(template_name).render(context, request)
    from django.http import HttpResponse

    return HttpResponse(body, status=status)


def permission_denied(request, exception=None):
    message = str(exception) if exception is not None and exception.args else ""
    return _render(request, "403.html", 403, {"reason": message})


def page_not_found(request, exception=None):
    return _render(request, "404.html", 404, {})


def server_error(request):
    """The 500 page; falls back to plain HTML if the layout itself cannot be drawn."""
    try:
        return _render(request, "500.html", 500, {})
    except Exception:  # the error may be in the layout or the database: never fail twice
        logger.exception("The 500 page could not be rendered in the site layout")
        return HttpResponseServerError(_FALLBACK_500)


def csrf_failure(request, reason=""):
    """A rejected form (expired page or cookies off): in Japanese, with what to do."""
    return _render(request, "403_csrf.html", 403, {})
