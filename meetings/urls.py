from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.StageIndexView.as_view(), name="index"),
]
