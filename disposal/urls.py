from django.urls import path

from . import views

app_name = "disposal"

urlpatterns = [
    path("", views.StageIndexView.as_view(), name="index"),
]
