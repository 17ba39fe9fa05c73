"""Storage units (cabinets, shelves, lockers, 書庫 units) and the documents they hold."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.concurrency import Versioned
from engagements.drawing.geometry import storage_capacity_fm
from engagements.unique import UniqueMessagesMixin

from ..choices import Condition, Disposition, Retention, StorageKind
from .placement import PlacedItem


def capacity_fm(width_mm: int | None, shelf_count: int | None) -> Decimal:
    """Capacity in file metres: shelf width in metres times the number of shelves (DOMAIN.md);
    the shared formula, also in ``static/js/plan_core.js``."""
    return storage_capacity_fm(width_mm, shelf_count)


class StorageUnit(UniqueMessagesMixin, Versioned, PlacedItem):
    """A cabinet, shelf, locker or archive unit. Its capacity is computed, never typed in."""

    unique_messages = {
        ("engagement", "number"): (
            "number", _("Storage number %(number)s is already in this engagement."),
        ),
    }

    number = models.CharField(_("storage number"), max_length=20)
    kind = models.CharField(
        _("kind"), max_length=20, choices=StorageKind.choices, default=StorageKind.CABINET
    )
    height_mm = models.PositiveIntegerField(
        _("height (mm)"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    shelf_count = models.PositiveSmallIntegerField(
        _("shelves"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    section = models.ForeignKey(
        "engagements.Organisation", verbose_name=_("owner section"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("storage unit")
        verbose_name_plural = _("storage units")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "number"], name="storageunit_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def capacity_fm(self) -> Decimal:
        return capacity_fm(self.width_mm, self.shelf_count)

    # A unit may be overfull (files stacked on top), but not absurdly: twice its capacity.
    MAX_FILL = 2

    def check_document_volume(self, total_fm: Decimal | None) -> None:
        """The one rule on a unit's documents, for every write path (form, import).

        The documents of all its cells together may be at most twice the capacity; no
        documents (zero or blank cells) always pass, and a unit without capacity holds none.
        """
        total = total_fm or Decimal("0")
        capacity = self.capacity_fm
        if total > capacity * self.MAX_FILL:
            raise ValidationError(
                _("The documents (%(total)s fm) exceed twice the unit's capacity (%(cap)s fm).")
                % {"total": total, "cap": capacity}
            )


class StorageVolume(UniqueMessagesMixin, models.Model):
    """Documents in one unit for one retention period and one intended disposition, in fm."""

    unique_messages = {
        ("unit", "retention", "disposition"): (
            "retention",
            _("This storage unit already has "
              "a row for %(retention)s and %(disposition)s."),
        ),
    }

    unit = models.ForeignKey(
        StorageUnit, verbose_name=_("storage unit"), on_delete=models.CASCADE,
        related_name="volumes",
    )
    retention = models.CharField(_("retention"), max_length=10, choices=Retention.choices)
    disposition = models.CharField(
        _("disposition"), max_length=10, choices=Disposition.choices
    )
    volume_fm = models.DecimalField(
        _("volume (fm)"), max_digits=6, decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document volume")
        verbose_name_plural = _("document volumes")
        ordering = ["unit", "retention", "disposition"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "retention", "disposition"], name="storagevolume_unique_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_retention_display()} {self.get_disposition_display()}"
