from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.StageIndexView.as_view(), name="index"),
    path("new/", views.MeetingFormView.as_view(), name="meeting_create"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("<int:pk>/edit/", views.MeetingFormView.as_view(), name="meeting_update"),
    path("<int:pk>/minutes/new/", views.MinutesCreateView.as_view(), name="minutes_create"),
    path("minutes/<int:pk>/edit/", views.MinutesEditView.as_view(), name="minutes_edit"),
    path(
        "minutes/<int:pk>/to/<str:target>/", views.MinutesTransitionView.as_view(),
        name="minutes_transition",
    ),
    path("minutes/<int:pk>/revise/", views.MinutesReviseView.as_view(), name="minutes_revise"),
    path("minutes/<int:pk>/minutes.pdf", views.MinutesPdfView.as_view(), name="minutes_pdf"),
    path("action-items/", views.ActionItemListView.as_view(), name="action_items"),
    path(
        "action-items/<int:pk>/status/", views.ActionItemStatusView.as_view(),
        name="action_item_status",
    ),
    path("approvals/", views.ApprovalListView.as_view(), name="approval_list"),
    path("approvals/new/", views.ApprovalCreateView.as_view(), name="approval_create"),
    path("approvals/<int:pk>/", views.ApprovalDetailView.as_view(), name="approval_detail"),
    path(
        "approvals/<int:pk>/withdraw/", views.ApprovalWithdrawView.as_view(),
        name="approval_withdraw",
    ),
    path("suggestions/", views.SuggestionListView.as_view(), name="suggestions"),
    path(
        "suggestions/<int:pk>/respond/", views.SuggestionRespondView.as_view(),
        name="suggestion_respond",
    ),
    path(
        "<int:pk>/attachments/", views.AttachmentUploadView.as_view(), {"kind": "meeting"},
        name="meeting_attachment_upload",
    ),
    path(
        "approvals/<int:pk>/attachments/", views.AttachmentUploadView.as_view(),
        {"kind": "approval"}, name="approval_attachment_upload",
    ),
    path(
        "attachments/<int:pk>/", views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
]
