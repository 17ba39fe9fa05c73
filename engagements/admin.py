from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .files import save_files_on_commit
from .models import Engagement, Membership, Organisation


class UploadsOnCommitAdmin(SimpleHistoryAdmin):
    """The admin of a model with file fields: the fields' upload validators (kind, size
    limit, image limits) run in the form, and a new file is written once the admin's
    transaction commits (``save_file_on_commit``), as the services do."""

    def save_model(self, request, obj, form, change):
        save_files_on_commit(obj)
        super().save_model(request, obj, form, change)


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
