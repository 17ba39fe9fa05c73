"""The document-volume charts: moved to the shared chart module ``engagements.drawing.charts``;
these names stay for the callers that import them from here."""

from engagements.drawing.charts import COLOURS, FONT, hbar_chart, stacked_bar_chart

__all__ = ["COLOURS", "FONT", "hbar_chart", "stacked_bar_chart"]
