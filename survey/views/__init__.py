"""Survey views (engineer A's part). Occupancy and questionnaire views live in their own modules."""

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
    "RoomFormView",
    "StaffingView",
    "StageIndexView",
    "StorageUnitDeleteView",
    "StorageUnitFormView",
    "StorageUnitListView",
]
