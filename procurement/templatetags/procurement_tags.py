from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def fill_pk(url_pattern: str, pk) -> str:
    """``/…/positions/{}/status/`` with ``pk`` in place: one reverse for a whole table."""
    return url_pattern.replace("{}", str(pk))
