from django.urls import path

from . import views

app_name = "procurement"

urlpatterns = [
    path("", views.StageIndexView.as_view(), name="index"),
    path("start/", views.PlanStartView.as_view(), name="plan_start"),
    path("adopt/", views.PlanAdoptView.as_view(), name="plan_adopt"),
    path("budget/", views.BudgetView.as_view(), name="budget"),
    path("plan/", views.PlanView.as_view(), name="plan"),
    path("positions/", views.PositionListView.as_view(), name="positions"),
    path("lines/<int:pk>/", views.LineUpdateView.as_view(), name="line_update"),
    path("lines/<int:pk>/progress/", views.LineTransitionView.as_view(), name="line_transition"),
    path("positions/<int:pk>/status/", views.PositionTransitionView.as_view(),
         name="position_transition"),
    path("positions/<int:pk>/finding/", views.FindingRaiseView.as_view(), name="finding_raise"),
    path("positions/<int:pk>/cabling/", views.PositionCablingView.as_view(),
         name="position_cabling"),
    path("tablet/", views.TabletView.as_view(), name="tablet"),
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/order.pdf", views.OrderPdfView.as_view(), name="order_pdf"),
    path("inspection/", views.InspectionView.as_view(), name="inspection"),
    path("findings/<int:pk>/", views.FindingStepView.as_view(), name="finding_step"),
    path("assets/", views.AssetNumbersView.as_view(), name="asset_numbers"),
    path("export.xlsx", views.ExportView.as_view(), name="export"),
    path("cabling/", views.CablingView.as_view(), name="cabling"),
    path("days/", views.InstallationDaysView.as_view(), name="days"),
    path("days/<int:pk>/", views.InstallationDaysView.as_view(), name="day_update"),
]
