"""The occupancy study's analysis, stored: per desk, section and time of day, and the
recommendation.

Written only by ``services.occupancy.occupancy_results_update`` (in the transaction that
records a round or changes the study, its desks or the staffing) and read by every page that
shows the analysis (analysis page, proposals, comparison, dashboard, report), so no page
aggregates the observations (100,000 at city scale). A peak is kept as the fraction
``peak_occupied / peak_observed`` so the seat count computed from it stays exact.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class _Counts(models.Model):
    observed = models.PositiveIntegerField(_("observations"), default=0)
    occupied = models.PositiveIntegerField(_("occupied observations"), default=0)
    peak_occupied = models.PositiveIntegerField(_("occupied at the peak"), null=True)
    peak_observed = models.PositiveIntegerField(_("observed at the peak"), null=True)

    class Meta:
        abstract = True


class StudyResult(_Counts):
    """The whole study: overall figures, state shares and the recommended seats."""

    study = models.OneToOneField(
        "survey.OccupancyStudy", verbose_name=_("occupancy study"), on_delete=models.CASCADE,
        primary_key=True, related_name="result",
    )
    desks = models.PositiveIntegerField(_("desks"), default=0)
    headcount = models.PositiveIntegerField(_("headcount"), null=True)
    seats = models.PositiveIntegerField(_("seats recommended"), null=True)
    round_count = models.PositiveIntegerField(_("rounds"), default=0)
    observation_count = models.PositiveIntegerField(_("observations"), default=0)
    state_counts = models.JSONField(_("observations by state"), default=dict)
    has_staffing = models.BooleanField(_("has staffing"), default=False)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("occupancy study result")
        verbose_name_plural = _("occupancy study results")

    def __str__(self) -> str:
        return str(self.study)


class DeskResult(_Counts):
    study = models.ForeignKey(
        "survey.OccupancyStudy", on_delete=models.CASCADE, related_name="desk_results",
    )
    desk = models.ForeignKey("survey.Desk", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("occupancy result of a desk")
        verbose_name_plural = _("occupancy results of desks")
        constraints = [
            models.UniqueConstraint(fields=["study", "desk"], name="deskresult_unique_desk"),
        ]

    def __str__(self) -> str:
        return f"{self.study}: {self.desk}"


class SectionResult(_Counts):
    study = models.ForeignKey(
        "survey.OccupancyStudy", on_delete=models.CASCADE, related_name="section_results",
    )
    section = models.ForeignKey(
        "engagements.Organisation", null=True, on_delete=models.CASCADE, related_name="+",
    )
    desks = models.PositiveIntegerField(default=0)
    headcount = models.PositiveIntegerField(null=True)
    seats = models.PositiveIntegerField(null=True)

    class Meta:
        verbose_name = _("occupancy result of a section")
        verbose_name_plural = _("occupancy results of sections")

    def __str__(self) -> str:
        return f"{self.study}: {self.section or '—'}"


class TimeResult(_Counts):
    study = models.ForeignKey(
        "survey.OccupancyStudy", on_delete=models.CASCADE, related_name="time_results",
    )
    time = models.TimeField()

    class Meta:
        verbose_name = _("occupancy result of a time of day")
        verbose_name_plural = _("occupancy results of times of day")
        ordering = ["study", "time"]

    def __str__(self) -> str:
        return f"{self.study}: {self.time:%H:%M}"
