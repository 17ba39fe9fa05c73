"""Excel in and out: the template, the export in the same layout, and the import.

- ``sheets``: the sheets and columns, and the text rules shared by both directions;
- ``export``: the template and the export (every cell formula-safe);
- ``reading``: limits checked before a workbook is opened, then the sheets read read-only;
- ``importing``: validation and the all-or-nothing write.
"""

from .export import download_name, export_workbook, template_workbook
from .importing import ImportIssue, ImportResult, survey_import
from .reading import IMPORT_LIMITS, import_limit
from .sheets import (
    DESK_SHEET,
    LIST_SHEET,
    SHEETS,
    STAFFING_SHEET,
    STORAGE_SHEET,
    VOLUME_SHEET,
    Column,
    ImportRefused,
    SheetSpec,
    normalise,
)

__all__ = [
    "DESK_SHEET",
    "IMPORT_LIMITS",
    "LIST_SHEET",
    "SHEETS",
    "STAFFING_SHEET",
    "STORAGE_SHEET",
    "VOLUME_SHEET",
    "Column",
    "ImportIssue",
    "ImportRefused",
    "ImportResult",
    "SheetSpec",
    "download_name",
    "export_workbook",
    "import_limit",
    "normalise",
    "survey_import",
    "template_workbook",
]
