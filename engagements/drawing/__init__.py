"""Drawing shared by every stage: floor plans (``plan``), their geometry (``geometry``) and
charts (``charts``). See CONTRIBUTING.md, "Plans and charts"."""

from .plan import DrawnPlan, FloorItems, LegendEntry, PlanItem, draw_plan

__all__ = ["DrawnPlan", "FloorItems", "LegendEntry", "PlanItem", "draw_plan"]
