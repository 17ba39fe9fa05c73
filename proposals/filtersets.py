import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import CatalogueKind
from .models import CatalogueItem


class CatalogueFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CatalogueKind.choices,
                                       empty_label=_("All kinds"))
    name = django_filters.CharFilter(label=_("Item name"), lookup_expr="icontains")

    class Meta:
        model = CatalogueItem
        fields = ["kind", "name"]
