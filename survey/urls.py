from django.urls import path

from . import views

app_name = "survey"

urlpatterns = [
    path("", views.StageIndexView.as_view(), name="index"),
]
