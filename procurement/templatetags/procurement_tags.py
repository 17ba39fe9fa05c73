from django import template
from django.utils.html import format_html

from ..choices import FINDING_BADGES, ORDER_BADGES, POSITION_BADGES

register = template.Library()

_BADGES = {"position": POSITION_BADGES, "order": ORDER_BADGES, "finding": FINDING_BADGES}


@register.simple_tag
def status_badge(obj, kind: str = "position"):
    """The object's status as a badge in the colour set beside its choices."""
    css = _BADGES[kind].get(obj.status, "text-bg-secondary")
    return format_html('<span class="badge {}" data-status="{}">{}</span>', css, obj.status,
                       obj.get_status_display())


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def fill_pk(url_pattern: str, pk) -> str:
    """``/…/positions/{}/status/`` with ``pk`` in place: one reverse for a whole table."""
    return url_pattern.replace("{}", str(pk))
