"""Survey models. Each module keeps one group; everything is re-exported here."""

from .desks import Desk, Furniture
from .floors import Floor, Room, SectionStaffing
from .occupancy import DeskState, Observation, OccupancyRound, OccupancyStudy
from .occupancy_results import DeskResult, SectionResult, StudyResult, TimeResult
from .photos import Photo
from .placement import PlacedItem
from .questionnaire import QuestionnaireResponse, QuestionnaireWave, WaveStatusChange
from .storage import StorageUnit, StorageVolume, capacity_fm

__all__ = [
    "Desk",
    "Floor",
    "Furniture",
    "Photo",
    "PlacedItem",
    "Room",
    "SectionStaffing",
    "StorageUnit",
    "StorageVolume",
    "capacity_fm",
]
__all__ += [  # occupancy study and questionnaire (engineer B)
    "DeskState", "Observation", "OccupancyRound", "OccupancyStudy",
    "QuestionnaireResponse", "QuestionnaireWave", "WaveStatusChange",
]
__all__ += [  # the occupancy analysis, stored
    "DeskResult", "SectionResult", "StudyResult", "TimeResult",
]
