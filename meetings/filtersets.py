"""Filters of the action-item register and the approvals register (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import ActionItemStatus, ApprovalKind, ApprovalStatus
from .models import ActionItem, ApprovalRequest, Meeting


class ActionItemFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionItemStatus.choices)
    overdue = django_filters.ChoiceFilter(
        label=_("Due date"), method="filter_overdue", empty_label=_("All"),
        choices=[("yes", _("Overdue only"))],
    )
    meeting = django_filters.ModelChoiceFilter(
        label=_("Meeting"), field_name="minutes__meeting", queryset=Meeting.objects.none()
    )

    class Meta:
        model = ActionItem
        fields = ["status", "overdue", "meeting"]

    def __init__(self, *args, engagement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["meeting"].queryset = Meeting.objects.filter(engagement=engagement)
        for filter_ in self.filters.values():
            filter_.field.widget.attrs.setdefault("class", "form-select")

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue=True) if value == "yes" else queryset


class ApprovalFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ApprovalKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ApprovalStatus.choices)

    class Meta:
        model = ApprovalRequest
        fields = ["kind", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            filter_.field.widget.attrs.setdefault("class", "form-select")
