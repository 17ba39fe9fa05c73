from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Alternative,
    CatalogueItem,
    LayoutItem,
    Proposal,
    ProposalSection,
    StatusChange,
    WorkListItem,
    WorksLine,
    Zone,
)


@admin.register(CatalogueItem)
class CatalogueItemAdmin(SimpleHistoryAdmin):
    """Each engagement's own catalogue: listed and filtered by engagement."""

    list_display = ["name", "engagement", "kind", "width_mm", "depth_mm", "unit_price_yen",
                    "tax_class", "active"]
    list_filter = ["engagement", "kind", "tax_class", "active"]
    list_select_related = ["engagement"]
    readonly_fields = ["version"]
    search_fields = ["name", "maker", "model_number"]


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "engagement", "created_at"]
    list_select_related = ["engagement"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["old_status", "new_status", "actor", "comment", "at"]
    can_delete = False


@admin.register(Alternative)
class AlternativeAdmin(SimpleHistoryAdmin):
    """Read-mostly: the status changes only through the services (the proposal pages)."""

    list_display = ["label", "proposal", "status"]
    list_filter = ["status"]
    list_select_related = ["proposal"]
    readonly_fields = ["status"]
    raw_id_fields = ["proposal", "based_on"]
    inlines = [StatusChangeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposal")


# The item admins: their foreign keys as raw ids (a select of every desk of the city would be
# one query and thousands of options per field) and their rows' related objects joined.
ALTERNATIVE_JOIN = ["alternative__proposal"]


@admin.register(LayoutItem)
class LayoutItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "alternative", "x_mm", "y_mm", "rotation_deg"]
    list_select_related = [*ALTERNATIVE_JOIN, "desk", "furniture", "storage_unit",
                           "catalogue_item", "floor"]
    raw_id_fields = ["engagement", "alternative", "floor", "desk", "furniture", "storage_unit",
                     "catalogue_item"]


@admin.register(WorkListItem)
class WorkListItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "alternative"]
    list_select_related = ALTERNATIVE_JOIN
    raw_id_fields = ["alternative", "catalogue_item", "desk", "furniture", "storage_unit"]


@admin.register(Zone)
class ZoneAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "alternative"]
    list_select_related = ALTERNATIVE_JOIN
    raw_id_fields = ["engagement", "alternative", "floor"]


for model in (WorksLine, ProposalSection):
    admin.site.register(
        model, SimpleHistoryAdmin, list_display=["__str__", "alternative"],
        list_select_related=ALTERNATIVE_JOIN, raw_id_fields=["alternative"],
    )
