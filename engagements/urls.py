from django.urls import path

from . import views

app_name = "engagements"

urlpatterns = [
    path("", views.EngagementListView.as_view(), name="engagement_list"),
    path("<int:engagement_pk>/", views.DashboardView.as_view(), name="dashboard"),
    path(
        "<int:engagement_pk>/about/",
        views.EngagementDetailView.as_view(),
        name="engagement_detail",
    ),
    path("<int:engagement_pk>/members/", views.MembersView.as_view(), name="members"),
]
