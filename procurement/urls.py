from django.urls import path

from . import views

app_name = "procurement"

urlpatterns = [
    path("", views.StageIndexView.as_view(), name="index"),
]
