"""The occupancy study (在席率調査): rounds at fixed times, and every desk's state in each.

A desk counts as occupied when its user is there or has clearly just stepped away (在席,
一時離席: "signs of life" such as a bag or an open laptop). In a meeting, teleworking, on a
business trip or leave, or simply absent, the desk is not in use (DOMAIN.md).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.concurrency import Versioned
from engagements.unique import UniqueMessagesMixin

# Default rounds: hourly from 8:30 to 17:30 (10 a day) on 5 working days.
DEFAULT_ROUND_TIMES = tuple(dt.time(hour, 30) for hour in range(8, 18))
DEFAULT_DAYS = 5


class DeskState(models.TextChoices):
    PRESENT = "present", _("Present")
    AWAY = "away", _("Briefly away")
    ABSENT = "absent", _("Absent")
    MEETING = "meeting", _("In a meeting")
    TELEWORK = "telework", _("Teleworking")
    OUT = "out", _("Business trip or leave")


# The states in which the desk is in use (see the module docstring).
OCCUPIED_STATES = frozenset({DeskState.PRESENT, DeskState.AWAY})

# Colours of the states on the round screen (always with a text label). Light enough for
# the plan's dark desk labels.
STATE_COLOURS = {
    DeskState.PRESENT: "#5b9bd5",
    DeskState.AWAY: "#bdd7ee",
    DeskState.ABSENT: "#eeeeee",
    DeskState.MEETING: "#ffc000",
    DeskState.TELEWORK: "#a9d18e",
    DeskState.OUT: "#c9b3e6",
}


class OccupancyStudy(UniqueMessagesMixin, Versioned):
    """One occupancy study of an engagement's desks, with the margin for the seat count.

    The study observes the desks of ``sections`` (all desks of the engagement when empty).
    With ``core_hours_only`` the analysis counts only rounds from ``core_start`` to
    ``core_end`` (inclusive), and the report says so.
    """

    unique_messages = {
        ("engagement", "name"): (
            "name", _("A study named %(name)s is already in this engagement."),
        ),
    }

    engagement = models.ForeignKey(
        "engagements.Engagement",
        verbose_name=_("engagement"),
        on_delete=models.CASCADE,
        related_name="occupancy_studies",
    )
    name = models.CharField(_("name"), max_length=100)
    margin_percent = models.PositiveSmallIntegerField(
        _("margin for the seat recommendation (%)"),
        default=10,
        validators=[MaxValueValidator(100)],
    )
    core_hours_only = models.BooleanField(_("analyse core hours only"), default=False)
    core_start = models.TimeField(_("core hours from"), default=dt.time(10, 0))
    core_end = models.TimeField(_("core hours until"), default=dt.time(15, 0))
    sections = models.ManyToManyField(
        "engagements.Organisation",
        verbose_name=_("sections observed"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to observe every desk of the engagement."),
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("occupancy study")
        verbose_name_plural = _("occupancy studies")
        ordering = ["engagement", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "name"], name="occupancystudy_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(core_end__gt=models.F("core_start")),
                name="occupancystudy_core_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.core_start and self.core_end and self.core_end <= self.core_start:
            raise ValidationError({"core_end": _("The core hours must end after they start.")})


class OccupancyRound(UniqueMessagesMixin, models.Model):
    """One walk round the floor at a planned date and time."""

    unique_messages = {
        ("study", "date", "time"): (
            "time", _("This study already has a round on %(date)s at %(time)s."),
        ),
    }

    study = models.ForeignKey(
        OccupancyStudy,
        verbose_name=_("occupancy study"),
        on_delete=models.CASCADE,
        related_name="rounds",
    )
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"))
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("occupancy round")
        verbose_name_plural = _("occupancy rounds")
        ordering = ["study", "date", "time"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "date", "time"], name="occupancyround_unique_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.time:%H:%M}"


class Observation(Versioned):
    """The state of one desk in one round. Corrections keep their before/after in history."""

    round = models.ForeignKey(
        OccupancyRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    desk = models.ForeignKey(
        "survey.Desk",
        verbose_name=_("desk"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    state = models.CharField(_("state"), max_length=10, choices=DeskState.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["round", "desk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "desk"], name="observation_unique_desk"),
        ]

    def __str__(self) -> str:
        return f"{self.desk}: {self.get_state_display()}"


def occupancy_percent(value: float | None) -> int | None:
    """A rate 0..1 as a whole percentage, for display."""
    return None if value is None else round(value * 100)


__all__ = [
    "DEFAULT_DAYS",
    "DEFAULT_ROUND_TIMES",
    "OCCUPIED_STATES",
    "STATE_COLOURS",
    "DeskState",
    "Observation",
    "OccupancyRound",
    "OccupancyStudy",
    "occupancy_percent",
]
