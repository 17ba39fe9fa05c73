from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.StageIndexView.as_view(), name="index"),
    path("report.pdf", views.ReportDownloadView.as_view(), name="report_pdf"),
    path("data.zip", views.ElectronicDataDownloadView.as_view(), name="electronic_data"),
]
