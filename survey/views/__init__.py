"""Survey views (engineer A's part). Occupancy and questionnaire views live in their own modules."""

from .index import StageIndexView

__all__ = ["StageIndexView"]
