from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.StageIndexView.as_view(), name="index"),
    path("<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path("<int:pk>/edit/", views.ProposalUpdateView.as_view(), name="proposal_update"),
    path("<int:pk>/compare/", views.ComparisonView.as_view(), name="comparison"),
    path("alternatives/<int:pk>/", views.AlternativeDetailView.as_view(),
         name="alternative_detail"),
    path("alternatives/<int:pk>/edit/", views.AlternativeUpdateView.as_view(),
         name="alternative_update"),
    path("alternatives/<int:pk>/layout/", views.AlternativeEditorView.as_view(),
         name="alternative_editor"),
    path("alternatives/<int:pk>/<str:target>/", views.AlternativeTransitionView.as_view(),
         name="alternative_transition"),
    path("catalogue/", views.CatalogueListView.as_view(), name="catalogue_list"),
    path("catalogue/new/", views.CatalogueFormView.as_view(), name="catalogue_create"),
    path("catalogue/<int:pk>/", views.CatalogueFormView.as_view(), name="catalogue_update"),
]
