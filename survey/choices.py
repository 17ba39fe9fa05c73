"""Choices of the survey: furniture kinds, conditions, retention periods and dispositions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# JIS S 1010 family office desks (DOMAIN.md): offered as choices, other sizes allowed.
JIS_DESK_WIDTHS_MM = (1000, 1200, 1400)
JIS_DESK_DEPTHS_MM = (600, 700)
JIS_DESK_SIZES_MM = tuple((w, d) for w in JIS_DESK_WIDTHS_MM for d in JIS_DESK_DEPTHS_MM)

# Placement on the plan snaps to this grid.
SNAP_MM = 10


class UserRole(models.TextChoices):
    """Who sits at a desk (役職)."""

    DIRECTOR = "director", _("Director")
    SECTION_CHIEF = "section_chief", _("Section chief")
    SUBSECTION_CHIEF = "subsection_chief", _("Subsection chief")
    STAFF = "staff", _("Staff")
    PART_TIME = "part_time", _("Part-time staff")
    SHARED = "shared", _("Shared desk")
    VACANT = "vacant", _("Vacant")


class DeskType(models.TextChoices):
    SINGLE_PEDESTAL = "single_pedestal", _("Single-pedestal desk")
    DOUBLE_PEDESTAL = "double_pedestal", _("Double-pedestal desk")
    FLAT = "flat", _("Flat desk")
    L_SHAPED = "l_shaped", _("L-shaped desk")
    TABLE = "table", _("Table")
    OTHER = "other", _("Other")


class Condition(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")
    BROKEN = "broken", _("Broken")


class UnderDeskStorage(models.TextChoices):
    # With a context: the bare msgid "None" takes Django admin's translation, "None".
    NONE = "none", pgettext_lazy("under-desk storage", "None")
    DRAWERS = "drawers", _("Built-in drawers")
    WAGON = "wagon", _("Wagon")
    BOTH = "both", _("Drawers and wagon")


class StorageKind(models.TextChoices):
    CABINET = "cabinet", _("Cabinet")
    SHELF = "shelf", _("Open shelf")
    LOCKER = "locker", _("Locker")
    ARCHIVE = "archive", _("Archive unit (書庫)")
    OTHER = "other", _("Other")


class FurnitureKind(models.TextChoices):
    TABLE = "table", _("Meeting table")
    CHAIR = "chair", _("Chair")
    PRINTER = "printer", _("Multifunction printer")
    PARTITION = "partition", _("Partition")
    WHITEBOARD = "whiteboard", _("Whiteboard")
    COUNTER = "counter", _("Counter")
    OTHER = "other", _("Other")


class Retention(models.TextChoices):
    """保存年限: how long the documents must be kept."""

    YEARS_1 = "1", _("1 year")
    YEARS_3 = "3", _("3 years")
    YEARS_5 = "5", _("5 years")
    YEARS_10 = "10", _("10 years")
    PERMANENT = "permanent", _("Permanent")


class Disposition(models.TextChoices):
    """What is meant to happen to the documents at the reform."""

    KEEP = "keep", _("Keep at hand")
    ARCHIVE = "archive", _("Move to the archive")
    DIGITISE = "digitise", _("Digitise")
    DISCARD = "discard", _("Discard")
