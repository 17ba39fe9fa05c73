from django.urls import path

from . import views
from .views import occupancy as views_occupancy
from .views import questionnaire as views_questionnaire

app_name = "survey"

urlpatterns = [
    path("", views.StageIndexView.as_view(), name="index"),
    path("floors/new/", views.FloorFormView.as_view(), name="floor_create"),
    path("floors/<int:pk>/", views.FloorFormView.as_view(), name="floor_update"),
    path("floors/<int:pk>/plan/", views.FloorPlanView.as_view(), name="floor_plan"),
    path("floors/<int:pk>/plan/save/", views.PlacementSaveView.as_view(),
         name="floor_plan_save"),
    path("place/<str:kind>/<int:pk>/", views.PlacementMoveView.as_view(), name="placement_move"),
    path("desks/", views.DeskListView.as_view(), name="desk_list"),
    path("desks/new/", views.DeskFormView.as_view(), name="desk_create"),
    path("desks/<int:pk>/", views.DeskFormView.as_view(), name="desk_update"),
    path("desks/<int:pk>/delete/", views.DeskDeleteView.as_view(), name="desk_delete"),
    path("storage/", views.StorageUnitListView.as_view(), name="storage_list"),
    path("storage/new/", views.StorageUnitFormView.as_view(), name="storage_create"),
    path("storage/<int:pk>/", views.StorageUnitFormView.as_view(), name="storage_update"),
    path("storage/<int:pk>/delete/", views.StorageUnitDeleteView.as_view(),
         name="storage_delete"),
    path("furniture/new/", views.FurnitureFormView.as_view(), name="furniture_create"),
    path("furniture/<int:pk>/", views.FurnitureFormView.as_view(), name="furniture_update"),
    path("rooms/new/", views.RoomFormView.as_view(), name="room_create"),
    path("rooms/<int:pk>/", views.RoomFormView.as_view(), name="room_update"),
    path("staffing/", views.StaffingView.as_view(), name="staffing"),
    path("photos/<str:kind>/<int:pk>/", views.PhotoAddView.as_view(), name="photo_add"),
    path("photos/<int:pk>/delete/", views.PhotoDeleteView.as_view(), name="photo_delete"),
    path("analysis/", views.AnalysisView.as_view(), name="analysis"),
    path("excel/template/", views.ExcelTemplateView.as_view(), name="excel_template"),
    path("excel/export/", views.ExcelExportView.as_view(), name="excel_export"),
    path("excel/import/", views.ExcelImportView.as_view(), name="excel_import"),
]

# Occupancy study and staff questionnaire (engineer B).
urlpatterns += [
    path("occupancy/", views_occupancy.OccupancyIndexView.as_view(), name="occupancy_index"),
    path("occupancy/new/", views_occupancy.StudyFormView.as_view(), name="occupancy_study_create"),
    path("occupancy/<int:study_pk>/", views_occupancy.StudyDetailView.as_view(),
         name="occupancy_study"),
    path("occupancy/<int:study_pk>/settings/", views_occupancy.StudyFormView.as_view(),
         name="occupancy_study_update"),
    path("occupancy/<int:study_pk>/rounds/", views_occupancy.RoundGenerateView.as_view(),
         name="occupancy_rounds_generate"),
    path("occupancy/<int:study_pk>/rounds/<int:round_pk>/", views_occupancy.RoundView.as_view(),
         name="occupancy_round"),
    path("occupancy/<int:study_pk>/analysis/", views_occupancy.AnalysisView.as_view(),
         name="occupancy_analysis"),
    path("questionnaire/", views_questionnaire.QuestionnaireIndexView.as_view(),
         name="questionnaire_index"),
    path("questionnaire/new/", views_questionnaire.WaveCreateView.as_view(),
         name="questionnaire_wave_create"),
    path("questionnaire/<int:wave_pk>/", views_questionnaire.WaveDetailView.as_view(),
         name="questionnaire_wave"),
    path("questionnaire/<int:wave_pk>/status/", views_questionnaire.WaveTransitionView.as_view(),
         name="questionnaire_wave_transition"),
    path("questionnaire/<int:wave_pk>/answer/", views_questionnaire.AnswerView.as_view(),
         name="questionnaire_answer"),
    path("questionnaire/<int:wave_pk>/thanks/", views_questionnaire.ThanksView.as_view(),
         name="questionnaire_thanks"),
    path("questionnaire/<int:wave_pk>/kiosk/", views_questionnaire.KioskStartView.as_view(),
         name="questionnaire_kiosk_start"),
    path("questionnaire/<int:wave_pk>/kiosk/end/", views_questionnaire.KioskExitView.as_view(),
         name="questionnaire_kiosk_exit"),
]
