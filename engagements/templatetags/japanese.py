"""Filters for dates in the Japanese era and amounts in yen; built into every template."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from engagements import wareki
from engagements.history import person_name

register = template.Library()


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


@register.filter
def era_date(value, western: bool = False):
    """{{ date|era_date }} → 令和7年4月1日; {{ date|era_date:True }} adds the Western year."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return wareki.format_wareki(value, western=bool(western), english=_english())


@register.filter
def era_datetime(value):
    """{{ datetime|era_datetime }} → 令和7年4月1日 14:05 (local time)."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{era_date(local.date())} {local:%H:%M}"


@register.filter
def fiscal_year(value):
    """{{ 2025|fiscal_year }} → 令和7年度."""
    if value in (None, ""):
        return ""
    return wareki.format_fiscal_year(int(value), english=_english())


@register.filter
def yen(value):
    """{{ 1234567|yen }} → 1,234,567円 (¥1,234,567 in English)."""
    if value in (None, ""):
        return ""
    amount = f"{int(value):,}"
    return f"¥{amount}" if _english() else f"{amount}円"


@register.filter
def person(user):
    """A user's name in Japanese order, family name first (山田 花子); else the username."""
    if not user:
        return ""
    return person_name(user)
