from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from engagements.admin import UploadsOnCommitAdmin

from .models import (
    ActionItem,
    ApprovalRequest,
    ApprovalStatusChange,
    Attachment,
    Attendee,
    Decision,
    Meeting,
    Minutes,
    MinutesStatusChange,
    Suggestion,
)


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "engagement", "starts_at", "venue"]
    list_filter = ["venue", "engagement"]
    search_fields = ["title", "agenda"]
    inlines = [AttendeeInline]


class MinutesStatusChangeInline(admin.TabularInline):
    model = MinutesStatusChange
    extra = 0
    readonly_fields = ["old_status", "new_status", "actor", "comment", "at"]
    can_delete = False


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    # Status moves only through the services, so that each change writes its status row.
    list_display = ["meeting", "version", "status", "confirmed_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "confirmed_by", "confirmed_at"]
    inlines = [MinutesStatusChangeInline]


class ApprovalStatusChangeInline(admin.TabularInline):
    model = ApprovalStatusChange
    extra = 0
    readonly_fields = ["old_status", "new_status", "actor", "comment", "at"]
    can_delete = False


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(SimpleHistoryAdmin):
    list_display = ["title", "engagement", "kind", "status", "requested_on", "document_number"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "subcontractor", "document_number"]
    readonly_fields = ["status", "decided_by"]
    inlines = [ApprovalStatusChangeInline]


admin.site.register([Decision, ActionItem, Suggestion], SimpleHistoryAdmin)
admin.site.register(Attachment, UploadsOnCommitAdmin)
