from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Engagement, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return Membership.all_objects.select_related("user")


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Engagement)
class EngagementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "client", "section", "fiscal_year", "contractor"]
    search_fields = ["title", "contractor"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["engagement", "user", "role", "is_active"]
    list_filter = ["role", "is_active"]

    def get_queryset(self, request):
        # Ended memberships too: installation administrators see every row.
        return Membership.all_objects.select_related("engagement", "user")
