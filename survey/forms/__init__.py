"""Survey forms, one module per part of the survey (``items``, ``occupancy``,
``questionnaire``); the public names are re-exported here.
"""

from .items import (
    OTHER_SIZE,
    DeskForm,
    FloorForm,
    FurnitureForm,
    ImportForm,
    PhotoForm,
    RoomForm,
    SectionChoiceMixin,
    StaffingForm,
    StorageUnitForm,
    TabletFormMixin,
    volume_field_name,
)
from .occupancy import (
    RoundGenerateForm,
    RoundRecordForm,
    StateChoiceField,
    StudyForm,
    study_section_choices,
)
from .questionnaire import (
    NOT_STATED,
    SCALE_CHOICES,
    KioskExitForm,
    KioskStartForm,
    QuestionnaireAnswerForm,
    WaveCreateForm,
    WaveTransitionForm,
)

__all__ = [
    "OTHER_SIZE",
    "TabletFormMixin",
    "FloorForm",
    "SectionChoiceMixin",
    "DeskForm",
    "FurnitureForm",
    "RoomForm",
    "volume_field_name",
    "StorageUnitForm",
    "StaffingForm",
    "PhotoForm",
    "ImportForm",
    "study_section_choices",
    "StudyForm",
    "RoundGenerateForm",
    "StateChoiceField",
    "RoundRecordForm",
    "SCALE_CHOICES",
    "NOT_STATED",
    "WaveCreateForm",
    "WaveTransitionForm",
    "QuestionnaireAnswerForm",
    "KioskStartForm",
    "KioskExitForm",
]
