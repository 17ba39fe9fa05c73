"""Choices of the disposal stage, with the badge colour of each status beside it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from engagements.badges import badge_classes


class ItemSource(models.TextChoices):
    """Where a disposal item comes from: a surveyed item the approved layout removes, or a
    hand-added item (e.g. old chairs that were not surveyed)."""

    DESK = "desk", _("Survey desk")
    FURNITURE = "furniture", _("Survey furniture")
    STORAGE = "storage", _("Survey storage unit")
    MANUAL = "manual", _("Added by hand")


class Material(models.TextChoices):
    STEEL = "steel", _("Steel")
    PLASTIC = "plastic", _("Plastic")
    STEEL_PLASTIC = "steel_plastic", _("Steel and plastic")
    WOOD = "wood", _("Wood")
    OTHER = "other", _("Other material")


class WasteClass(models.TextChoices):
    """Steel and plastic furniture is industrial waste; wood is business general waste."""

    METAL = "metal", _("Industrial waste (scrap metal)")
    PLASTIC = "plastic", _("Industrial waste (waste plastics)")
    METAL_PLASTIC = "metal_plastic", _("Industrial waste (scrap metal and waste plastics)")
    GENERAL = "general", _("Business general waste")


# The waste class a material gives; "other" gives none (the contractor chooses one).
MATERIAL_WASTE_CLASS = {
    Material.STEEL: WasteClass.METAL,
    Material.PLASTIC: WasteClass.PLASTIC,
    Material.STEEL_PLASTIC: WasteClass.METAL_PLASTIC,
    Material.WOOD: WasteClass.GENERAL,
}
INDUSTRIAL_WASTE = frozenset({WasteClass.METAL, WasteClass.PLASTIC, WasteClass.METAL_PLASTIC})


class Outcome(models.TextChoices):
    TRANSFER = "transfer", _("Transfer")
    SCRAP = "scrap", _("Scrap")
    SALE = "sale", _("Sale")
    KEEP = "keep", _("Keep in use")


# 不用決定: a decision that the city no longer needs the item.
UNNEEDED_OUTCOMES = frozenset({Outcome.TRANSFER, Outcome.SCRAP, Outcome.SALE})


class ItemStatus(models.TextChoices):
    NEW = "new", _("No proposal yet")
    PROPOSED = "proposed", _("Proposed")
    DECIDED = "decided", _("Decided")
    TRANSFERRED = "transferred", _("Transferred")
    SCRAPPED = "scrapped", _("Scrapped")
    SOLD = "sold", _("Sold")
    KEPT = "kept", _("Kept in use")
    WITHDRAWN = "withdrawn", _("No longer removed")


# Final states: the item has reached its outcome (withdrawn items are out of the stage).
FINAL_STATUSES = frozenset({
    ItemStatus.TRANSFERRED, ItemStatus.SCRAPPED, ItemStatus.SOLD, ItemStatus.KEPT,
})
ITEM_BADGES = {
    ItemStatus.NEW: "text-bg-light border",
    ItemStatus.PROPOSED: "text-bg-info",
    ItemStatus.DECIDED: "text-bg-primary",
    ItemStatus.TRANSFERRED: "text-bg-success",
    ItemStatus.SCRAPPED: "text-bg-success",
    ItemStatus.SOLD: "text-bg-success",
    ItemStatus.KEPT: "text-bg-success",
    ItemStatus.WITHDRAWN: "text-bg-secondary",
}


class TransferStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CARRIED_OUT = "carried_out", _("Carried out")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


TRANSFER_BADGES = {
    TransferStatus.PLANNED: "text-bg-light border",
    TransferStatus.CARRIED_OUT: "text-bg-warning",
    TransferStatus.RECEIVED: "text-bg-success",
    TransferStatus.CANCELLED: "text-bg-secondary",
}


class ManifestForm(models.TextChoices):
    PAPER = "paper", _("Paper manifest")
    ELECTRONIC = "electronic", _("Electronic manifest")


class ManifestStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    COMPLETED = "completed", _("Completed (E returned)")


MANIFEST_BADGES = {
    ManifestStatus.ISSUED: "text-bg-warning",
    ManifestStatus.COMPLETED: "text-bg-success",
}


class OperatorRole(models.TextChoices):
    COLLECTOR = "collector", _("Collector and transporter")
    DISPOSER = "disposer", _("Disposer")


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Wanted")
    ALLOCATED = "allocated", _("Allocated")
    DECLINED = "declined", _("Not allocated")


REQUEST_BADGES = {
    RequestStatus.REQUESTED: "text-bg-info",
    RequestStatus.ALLOCATED: "text-bg-success",
    RequestStatus.DECLINED: "text-bg-secondary",
}

# The same colours in the shared badge registry ({% status_badge %}, engagements/badges.py).
badge_classes(ItemStatus, ITEM_BADGES)
badge_classes(TransferStatus, TRANSFER_BADGES)
badge_classes(ManifestStatus, MANIFEST_BADGES)
badge_classes(RequestStatus, REQUEST_BADGES)
