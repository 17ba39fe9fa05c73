"""What a decision in the minutes may be linked to.

A decision can point at the record it concerns (a proposal, an order, a disposal item) through
a generic foreign key, but only at models registered here, as ``"app_label.ModelName"``. The
stage apps that own those models add them with ``register_linkable`` from their
``AppConfig.ready()``. A linked object must belong to the meeting's engagement (a model
registered here needs an ``engagement`` foreign key).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

LINKABLE_MODELS: tuple[str, ...] = ()
# The page of a linked record, for models without ``get_absolute_url``: a URL name taking the
# engagement and the record's pk.
LINK_URL_NAMES: dict[str, str] = {}


def register_linkable(label: str, url_name: str = "") -> None:
    """Let a decision name records of model ``label`` ("app_label.ModelName"); called by the
    owning app's ``AppConfig.ready()``."""
    global LINKABLE_MODELS
    if label not in LINKABLE_MODELS:
        LINKABLE_MODELS = (*LINKABLE_MODELS, label)
    if url_name:
        LINK_URL_NAMES[label] = url_name


def linkable_content_types() -> list[ContentType]:
    models = [apps.get_model(label) for label in LINKABLE_MODELS]
    return list(ContentType.objects.get_for_models(*models).values()) if models else []


def is_linkable(content_type: ContentType) -> bool:
    return f"{content_type.app_label}.{content_type.model}" in {
        label.lower() for label in LINKABLE_MODELS
    }


def link_value(content_type_id: int | None, object_id: int | None) -> str:
    return f"{content_type_id}:{object_id}" if content_type_id and object_id else ""


def linkable_choices(engagement) -> list[tuple[str, list[tuple[str, str]]]]:
    """The records of ``engagement`` a decision may concern, grouped by kind, for a select."""
    groups = []
    for label in LINKABLE_MODELS:
        model = apps.get_model(label)
        content_type = ContentType.objects.get_for_model(model)
        options = [
            (link_value(content_type.pk, obj.pk), str(obj))
            for obj in model._default_manager.filter(engagement=engagement)
        ]
        if options:
            groups.append((str(model._meta.verbose_name), options))
    return groups


def parse_link(value: str) -> tuple[ContentType | None, int | None]:
    """``"<content type>:<id>"`` from the select → (content type, id); ("", …) → no link."""
    if not value:
        return None, None
    type_id, _sep, object_id = value.partition(":")
    return ContentType.objects.get_for_id(int(type_id)), int(object_id)


def record_url(obj) -> str:
    """The page of a linked record, or "" if it has none."""
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    name = LINK_URL_NAMES.get(f"{obj._meta.app_label}.{obj._meta.object_name}")
    if not name:
        return ""
    try:
        return reverse(name, args=[obj.engagement_id, obj.pk])
    except NoReverseMatch:
        return ""
