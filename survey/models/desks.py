"""Desks and the other furniture placed on a floor."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.concurrency import Versioned
from engagements.unique import UniqueMessagesMixin

from ..choices import Condition, DeskType, FurnitureKind, UnderDeskStorage, UserRole
from .placement import PlacedItem


class Desk(UniqueMessagesMixin, Versioned, PlacedItem):
    """One desk as surveyed: who uses it, what it is, what is on and around it.

    ``number`` is unique in the engagement: Excel imports match rows by it.
    """

    unique_messages = {
        ("engagement", "number"): (
            "number", _("Desk number %(number)s is already in this engagement."),
        ),
    }

    number = models.CharField(_("desk number"), max_length=20)
    section = models.ForeignKey(
        "engagements.Organisation", verbose_name=_("section"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    user_role = models.CharField(
        _("user's role"), max_length=20, choices=UserRole.choices, default=UserRole.STAFF
    )
    desk_type = models.CharField(
        _("desk type"), max_length=20, choices=DeskType.choices,
        default=DeskType.SINGLE_PEDESTAL,
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    year = models.PositiveSmallIntegerField(
        _("year of purchase"), null=True, blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    has_pc = models.BooleanField(_("PC"), default=True)
    monitor_count = models.PositiveSmallIntegerField(
        _("monitors"), default=0, validators=[MaxValueValidator(6)]
    )
    has_phone = models.BooleanField(_("phone"), default=False)
    has_printer = models.BooleanField(_("printer"), default=False)
    under_desk_storage = models.CharField(
        _("under-desk storage"), max_length=10, choices=UnderDeskStorage.choices,
        default=UnderDeskStorage.DRAWERS,
    )
    document_fm = models.DecimalField(
        _("documents on and around the desk (fm)"), max_digits=6, decimal_places=2,
        default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))],
    )
    power_outlets = models.PositiveSmallIntegerField(
        _("power outlets within reach"), default=0, validators=[MaxValueValidator(20)]
    )
    lan_outlets = models.PositiveSmallIntegerField(
        _("LAN outlets within reach"), default=0, validators=[MaxValueValidator(20)]
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "number"], name="desk_unique_number"),
            models.CheckConstraint(
                condition=models.Q(rotation_deg__lt=360), name="desk_rotation_below_360"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def size_label(self) -> str:
        return f"W{self.width_mm}×D{self.depth_mm}"


class Furniture(UniqueMessagesMixin, Versioned, PlacedItem):
    """Other furniture on the plan: meeting tables, printers, partitions, whiteboards."""

    unique_messages = {
        ("engagement", "number"): (
            "number", _("Furniture number %(number)s is already in this engagement."),
        ),
    }

    number = models.CharField(_("number"), max_length=20)
    kind = models.CharField(
        _("kind"), max_length=20, choices=FurnitureKind.choices, default=FurnitureKind.OTHER
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    section = models.ForeignKey(
        "engagements.Organisation", verbose_name=_("section"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("furniture")
        verbose_name_plural = _("furniture")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "number"], name="furniture_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()
