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
    list_display = ["name", "kind", "width_mm", "depth_mm", "unit_price_yen", "tax_class",
                    "active"]
    list_filter = ["kind", "tax_class", "active"]
    search_fields = ["name", "maker", "model_number"]


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "engagement", "created_at"]
    list_select_related = ["engagement"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["old_status", "new_status", "actor", "comment", "changed_at"]
    can_delete = False


@admin.register(Alternative)
class AlternativeAdmin(SimpleHistoryAdmin):
    """Read-mostly: the status changes only through the services (the proposal pages)."""

    list_display = ["label", "proposal", "status"]
    list_filter = ["status"]
    readonly_fields = ["status"]
    inlines = [StatusChangeInline]


for model in (LayoutItem, Zone, WorksLine, ProposalSection, WorkListItem):
    admin.site.register(model, SimpleHistoryAdmin)
