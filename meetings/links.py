"""What a decision in the minutes may be linked to.

A decision can point at the record it concerns (a proposal, an order, a disposal item) through
a generic foreign key, but only at models registered here, as ``"app_label.ModelName"``. The
stage apps that own those models add them when they exist; until then the tuple is empty and
decisions are plain text. A linked object must belong to the meeting's engagement (a model
registered here needs an ``engagement`` foreign key).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

LINKABLE_MODELS: tuple[str, ...] = ()


def linkable_content_types() -> list[ContentType]:
    models = [apps.get_model(label) for label in LINKABLE_MODELS]
    return list(ContentType.objects.get_for_models(*models).values()) if models else []


def is_linkable(content_type: ContentType) -> bool:
    return f"{content_type.app_label}.{content_type.model}" in {
        label.lower() for label in LINKABLE_MODELS
    }
