"""Parts of pages derived from an engagement's data, cached under its data generation.

A page that lists every desk or draws every floor renders the same HTML until the data
changes. ``cached_fragment`` keeps that HTML in Django's cache under a key made of the
engagement's data generation (``progress.data_generation``: it grows with every change, see
there), today's date (overdue counts), the language and what the caller says the part varies
on (the role, the query string). A change shows at once: the next request reads a new
generation and renders afresh. The cache is only a shortcut: a server whose cache is cold
(another app server, a restart) renders the part itself, so several servers need no shared
cache.

The fragment is rendered **without the request**: it holds nothing of one user's session and
is served to every member with the same role. Its forms may post: ``{% csrf_token %}`` renders
a placeholder there, replaced by the reader's own token each time the fragment is served.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from .progress import data_generation

FRAGMENT_SECONDS = 60 * 60
# What ``{% csrf_token %}`` writes in a fragment: letters only, unchanged by HTML escaping.
CSRF_PLACEHOLDER = "fragmentcsrftokenplaceholder"


def fragment_key(engagement, name: str, *vary) -> str:
    """The cache key of ``name`` for the engagement's data as it is now (one query)."""
    generation = data_generation(engagement)
    parts = [name, str(engagement.pk), str(generation), timezone.localdate().isoformat(),
             translation.get_language() or "", *(str(v) for v in vary)]
    return "fragment:" + ":".join(p.replace(":", "%3A") for p in parts)


def cached_value(engagement, name: str, compute: Callable[[], Any], *vary) -> Any:
    """``compute()``, or what it returned for the same data before."""
    key = fragment_key(engagement, name, *vary)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FRAGMENT_SECONDS)
    return value


def cached_fragment(request, engagement, template_name: str, context: Callable[[], dict],
                    *vary) -> SafeString:
    """``template_name`` rendered with ``context()`` (called only when not cached), without
    the request; the same HTML while the engagement's data does not change. The reader's CSRF
    token goes where the fragment's forms have the placeholder."""
    html = cached_value(
        engagement, template_name,
        lambda: str(render_to_string(template_name,
                                     {**context(), "csrf_token": CSRF_PLACEHOLDER})),
        *vary,
    )
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # rendered by the template engine, which escaped what it inserted
