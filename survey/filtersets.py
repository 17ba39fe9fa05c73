"""Filters of the survey lists (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from engagements.models import Organisation

from .choices import Condition, StorageKind, UserRole
from .models import Desk, Floor, StorageUnit


class _EngagementFilterSet(django_filters.FilterSet):
    """Section and floor choices limited to the engagement's own."""

    def __init__(self, *args, engagement=None, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["floor"].queryset = Floor.objects.filter(engagement=engagement)
        self.filters["section"].queryset = sections if sections is not None else (
            Organisation.objects.none()
        )
        for filter_ in self.filters.values():
            filter_.field.widget.attrs.setdefault("class", "form-select")
        self.filters["number"].field.widget.attrs["class"] = "form-control"


class DeskFilterSet(_EngagementFilterSet):
    number = django_filters.CharFilter(label=_("desk number"), lookup_expr="icontains")
    floor = django_filters.ModelChoiceFilter(label=_("floor"), queryset=Floor.objects.none())
    section = django_filters.ModelChoiceFilter(
        label=_("section"), queryset=Organisation.objects.none()
    )
    user_role = django_filters.ChoiceFilter(label=_("user's role"), choices=UserRole.choices)
    condition = django_filters.ChoiceFilter(label=_("condition"), choices=Condition.choices)

    class Meta:
        model = Desk
        fields = ["number", "floor", "section", "user_role", "condition"]


class StorageUnitFilterSet(_EngagementFilterSet):
    number = django_filters.CharFilter(label=_("storage number"), lookup_expr="icontains")
    floor = django_filters.ModelChoiceFilter(label=_("floor"), queryset=Floor.objects.none())
    section = django_filters.ModelChoiceFilter(
        label=_("owner section"), queryset=Organisation.objects.none()
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=StorageKind.choices)

    class Meta:
        model = StorageUnit
        fields = ["number", "floor", "section", "kind"]
