"""Survey views. The occupancy study and the questionnaire have their own modules here
(``survey.views.occupancy``, ``survey.views.questionnaire``), imported by ``survey.urls``."""

from .analysis import AnalysisView, ExcelExportView, ExcelImportView, ExcelTemplateView
from .index import StageIndexView
from .items import (
    DeskDeleteView,
    DeskFormView,
    DeskListView,
    FloorFormView,
    FloorPlanView,
    FurnitureFormView,
    PhotoAddView,
    PhotoDeleteView,
    PlacementMoveView,
    PlacementSaveView,
    RoomFormView,
    StaffingView,
    StorageUnitDeleteView,
    StorageUnitFormView,
    StorageUnitListView,
)

__all__ = [
    "AnalysisView",
    "DeskDeleteView",
    "DeskFormView",
    "DeskListView",
    "ExcelExportView",
    "ExcelImportView",
    "ExcelTemplateView",
    "FloorFormView",
    "FloorPlanView",
    "FurnitureFormView",
    "PhotoAddView",
    "PhotoDeleteView",
    "PlacementMoveView",
    "PlacementSaveView",
    "RoomFormView",
    "StaffingView",
    "StageIndexView",
    "StorageUnitDeleteView",
    "StorageUnitFormView",
    "StorageUnitListView",
]
