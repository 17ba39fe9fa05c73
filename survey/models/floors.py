"""Floors of an engagement's site, their plans, rooms, and the staffing of each section."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.concurrency import Versioned
from engagements.files import EngagementUploadTo
from engagements.unique import UniqueMessagesMixin
from engagements.uploads import Kind, UploadValidator

from .placement import PlacedItem


class Floor(UniqueMessagesMixin, Versioned):
    """One floor of the site with its plan: an uploaded image at a known scale, or an outline.

    ``width_mm`` × ``depth_mm`` is the extent of the plan in real millimetres; with an image,
    it is the image's size in pixels times ``mm_per_px`` (set by the service on upload).
    """

    unique_messages = {
        ("engagement", "name"): ("name", _("The floor %(name)s is already in this engagement.")),
    }

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="floors",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("For example 3階 東側."))
    width_mm = models.PositiveIntegerField(
        _("width (mm)"), validators=[MinValueValidator(1000)]
    )
    depth_mm = models.PositiveIntegerField(
        _("depth (mm)"), validators=[MinValueValidator(1000)]
    )
    plan_image = models.ImageField(
        _("plan image"), upload_to=EngagementUploadTo("survey/plans"), blank=True,
        validators=[UploadValidator(Kind.IMAGE)],
    )
    mm_per_px = models.DecimalField(
        _("scale (mm per pixel)"), max_digits=8, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(0.001)],
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "name"], name="floor_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area_m2(self):
        return round(self.width_mm * self.depth_mm / 1_000_000, 1)


class Room(Versioned, PlacedItem):
    """A room or zone drawn on an outline plan (執務室, 会議室, 書庫), with its dimensions."""

    name = models.CharField(_("name"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["floor", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def area_m2(self):
        return round(self.width_mm * self.depth_mm / 1_000_000, 1)


class SectionStaffing(UniqueMessagesMixin, Versioned):
    """How many staff a section has on the site: the base of fm per person and seat counts."""

    unique_messages = {
        ("engagement", "section"): (
            "section", _("%(section)s already has staffing figures in this engagement."),
        ),
    }

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="section_staffings",
    )
    section = models.ForeignKey(
        "engagements.Organisation", verbose_name=_("section"), on_delete=models.PROTECT,
        related_name="+",
    )
    headcount = models.PositiveIntegerField(_("headcount"))
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("section staffing")
        verbose_name_plural = _("section staffing")
        ordering = ["section__sort_order", "section__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "section"], name="sectionstaffing_unique_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.headcount}"
