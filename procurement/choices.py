"""Choices of the procurement stage; each status machine's colours sit beside its statuses.

The transitions themselves are the ``Workflow`` tables in ``procurement/workflows.py``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from engagements.badges import badge_classes


class PositionStatus(models.TextChoices):
    """One unit of a plan line at its position: 未手配 → 発注済 → 納品済 → 設置済 → 検収済."""

    NOT_ORDERED = "not_ordered", pgettext_lazy("procurement state", "Not ordered")
    ORDERED = "ordered", pgettext_lazy("procurement state", "Ordered")
    DELIVERED = "delivered", pgettext_lazy("procurement state", "Delivered")
    INSTALLED = "installed", pgettext_lazy("procurement state", "Installed")
    INSPECTED = "inspected", pgettext_lazy("procurement state", "Inspected")


# Fill on the plan (and the legend), Bootstrap badge colour in tables.
POSITION_FILLS = {
    PositionStatus.NOT_ORDERED: "#e9ecef",
    PositionStatus.ORDERED: "#9ec5fe",
    PositionStatus.DELIVERED: "#ffda6a",
    PositionStatus.INSTALLED: "#75b798",
    PositionStatus.INSPECTED: "#198754",
}
POSITION_BADGES = {
    PositionStatus.NOT_ORDERED: "text-bg-light border",
    PositionStatus.ORDERED: "text-bg-primary",
    PositionStatus.DELIVERED: "text-bg-warning",
    PositionStatus.INSTALLED: "text-bg-info",
    PositionStatus.INSPECTED: "text-bg-success",
}
# A position that only needs cabling (a surveyed desk kept or moved) is drawn in this colour.
CABLING_ONLY_FILL = "#ffffff"


class OrderStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("order status", "Being quoted")
    ISSUED = "issued", pgettext_lazy("order status", "Ordered")
    CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")


ORDER_BADGES = {
    OrderStatus.DRAFT: "text-bg-secondary",
    OrderStatus.ISSUED: "text-bg-primary",
    OrderStatus.CANCELLED: "text-bg-light border",
}


class FindingStatus(models.TextChoices):
    """A point the city raised at inspection (指摘) → corrected (是正) → re-inspected."""

    OPEN = "open", pgettext_lazy("finding status", "Raised")
    CORRECTED = "corrected", pgettext_lazy("finding status", "Corrected")
    RESOLVED = "resolved", pgettext_lazy("finding status", "Re-inspected and passed")


FINDING_BADGES = {
    FindingStatus.OPEN: "text-bg-danger",
    FindingStatus.CORRECTED: "text-bg-warning",
    FindingStatus.RESOLVED: "text-bg-success",
}


class ConnectionKind(models.TextChoices):
    LAN = "lan", _("LAN port")
    POWER = "power", _("Power outlet")
    PHONE = "phone", _("Phone line")


class CableCategory(models.TextChoices):
    NONE = "", _("(not a LAN cable)")
    CAT5E = "Cat5e", "Cat5e"
    CAT6 = "Cat6", "Cat6"
    CAT6A = "Cat6A", "Cat6A"


class PositionKind(models.TextChoices):
    DESK = "desk", _("Desk or table")
    BOOTH = "booth", _("Booth")
    STORAGE = "storage", _("Storage")
    OTHER = "other", _("Other")

# The same colours in the shared badge registry ({% status_badge %}, engagements/badges.py).
badge_classes(PositionStatus, POSITION_BADGES)
badge_classes(OrderStatus, ORDER_BADGES)
badge_classes(FindingStatus, FINDING_BADGES)
