"""The fields every item placed on a floor plan shares, so that a layout can be copied."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacedItem(models.Model):
    """An item on a floor plan: its top-left corner, size and rotation, all in millimetres.

    ``x_mm``/``y_mm`` are the position of the item's top-left corner before rotation; the item
    turns ``rotation_deg`` clockwise about its centre. The proposal stage copies these fields
    unchanged, so every placed model keeps exactly this set.
    """

    PLACEMENT_FIELDS = ("floor", "x_mm", "y_mm", "rotation_deg", "width_mm", "depth_mm")

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="+",
    )
    floor = models.ForeignKey(
        "survey.Floor", verbose_name=_("floor"), on_delete=models.PROTECT,
        related_name="%(class)s_set",
    )
    x_mm = models.IntegerField(_("x (mm)"), default=0, validators=[MinValueValidator(0)])
    y_mm = models.IntegerField(_("y (mm)"), default=0, validators=[MinValueValidator(0)])
    rotation_deg = models.PositiveSmallIntegerField(
        _("rotation (degrees)"), default=0, validators=[MaxValueValidator(359)]
    )
    width_mm = models.PositiveIntegerField(
        _("width (mm)"), validators=[MinValueValidator(1), MaxValueValidator(50_000)]
    )
    depth_mm = models.PositiveIntegerField(
        _("depth (mm)"), validators=[MinValueValidator(1), MaxValueValidator(50_000)]
    )

    class Meta:
        abstract = True

    def clean_placement(self) -> None:
        """An item must lie within its floor (its corner, at least)."""
        errors = {}
        floor = self.floor if self.floor_id else None
        if floor is not None and self.engagement_id and floor.engagement_id != self.engagement_id:
            errors["floor"] = _("This floor belongs to another engagement.")
        if floor is not None and floor.width_mm and self.x_mm is not None:
            if self.x_mm > floor.width_mm:
                errors["x_mm"] = _("The item lies outside the floor (width %(w)s mm).") % {
                    "w": floor.width_mm
                }
        if floor is not None and floor.depth_mm and self.y_mm is not None:
            if self.y_mm > floor.depth_mm:
                errors["y_mm"] = _("The item lies outside the floor (depth %(d)s mm).") % {
                    "d": floor.depth_mm
                }
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        self.clean_placement()
