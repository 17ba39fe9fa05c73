from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.StageIndexView.as_view(), name="index"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("texts/", views.TextsView.as_view(), name="texts"),
    path("builds/", views.BuildStatusView.as_view(), name="builds"),
    path("builds/new/", views.BuildRequestView.as_view(), name="build"),
    path("builds/<int:pk>/download/", views.BuildDownloadView.as_view(), name="build_download"),
    path("report.pdf", views.ReportDownloadView.as_view(), name="report_pdf"),
    path("data.zip", views.ElectronicDataDownloadView.as_view(), name="electronic_data"),
    path("versions/submit/", views.VersionSubmitView.as_view(), name="version_submit"),
    path("versions/<int:number>/decide/", views.VersionDecideView.as_view(),
         name="version_decide"),
    path("versions/<int:number>/<str:what>/", views.VersionDownloadView.as_view(),
         name="version_download"),
]
