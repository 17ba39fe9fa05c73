"""Photos taken during the survey, attached to a desk or a storage unit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.files import EngagementUploadTo
from engagements.uploads import Kind, UploadValidator


class Photo(models.Model):
    """A photo of exactly one desk or one storage unit; ``in_report`` selects it for the report."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="survey_photos",
    )
    desk = models.ForeignKey(
        "survey.Desk", verbose_name=_("desk"), on_delete=models.CASCADE, null=True,
        blank=True, related_name="photos",
    )
    storage_unit = models.ForeignKey(
        "survey.StorageUnit", verbose_name=_("storage unit"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="photos",
    )
    image = models.ImageField(_("image"), upload_to=EngagementUploadTo("survey/photos"),
                              validators=[UploadValidator(Kind.IMAGE)])
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    in_report = models.BooleanField(_("show in the report"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(desk__isnull=False, storage_unit__isnull=True)
                    | models.Q(desk__isnull=True, storage_unit__isnull=False)
                ),
                name="photo_of_desk_or_storage",
            ),
        ]

    def __str__(self) -> str:
        return self.caption or self.image.name

    @property
    def display_url(self) -> str:
        """The downscaled copy for pages (``engagements.images``)."""
        from engagements.images import display_url

        return display_url(self.image.name)

    def clean(self) -> None:
        if bool(self.desk_id) == bool(self.storage_unit_id):
            raise ValidationError(_("A photo shows either a desk or a storage unit."))
