"""The occupancy and questionnaire charts: moved to the shared chart module
``engagements.drawing.charts``; these names stay for the callers that import them from here.
"""

from engagements.drawing.charts import (
    GRID,
    HEAT_STOPS,
    SCORE_COLOURS,
    TEXT,
    column_chart,
    distribution_chart,
    grouped_bar_chart,
    heat_colour,
    heat_legend,
)

__all__ = [
    "GRID", "HEAT_STOPS", "SCORE_COLOURS", "TEXT", "column_chart", "distribution_chart",
    "grouped_bar_chart", "heat_colour", "heat_legend",
]
