"""The staff questionnaire (職員アンケート): a before and an after wave per engagement.

Answers are anonymous by construction: a response has no link to a user, no timestamp and a
random primary key (so not even the order of submission can be read back), and it keeps no
change history (a history row would name the person holding the tablet and the exact time).
Results are shown only in aggregate, for groups of at least ``MIN_GROUP_SIZE`` answers.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.badges import badge_colours
from engagements.unique import UniqueMessagesMixin
from engagements.workflow import StatusChangeBase

# No figure is shown for a group of fewer answers than this (the commission's staff are few).
MIN_GROUP_SIZE = 5


class WaveKind(models.TextChoices):
    BEFORE = "before", _("Before the reform")
    AFTER = "after", _("After the reform")


class WaveStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


badge_colours(WaveStatus, {
    WaveStatus.PREPARING: "light border", WaveStatus.OPEN: "success",
    WaveStatus.CLOSED: "secondary",
})
# The allowed status changes (a closed wave may be reopened) are in ``survey/workflows.py``.


class Area(models.TextChoices):
    """The parts of the workplace rated for satisfaction and importance."""

    DESK = "desk", _("Desk environment")
    MEETING = "meeting", _("Meeting and collaboration space")
    SHARED = "shared", _("Shared space")
    STORAGE = "storage", _("Storage and security")
    OVERALL = "overall", _("The office overall")


# Every 1–5 item of the form, in display order: (field name, area or None, label).
SATISFACTION_FIELDS = [f"satisfaction_{area}" for area in Area.values]
IMPORTANCE_FIELDS = [f"importance_{area}" for area in Area.values]
READINESS_FIELDS = ["telework_readiness", "paperless_readiness"]
SCORE_FIELDS = SATISFACTION_FIELDS + IMPORTANCE_FIELDS + READINESS_FIELDS


class QuestionnaireWave(UniqueMessagesMixin, models.Model):
    """One round of the staff questionnaire: before the reform or after it, once each."""

    unique_messages = {
        ("engagement", "kind"): ("kind", _("The wave %(kind)s is already in this engagement.")),
    }

    engagement = models.ForeignKey(
        "engagements.Engagement",
        verbose_name=_("engagement"),
        on_delete=models.CASCADE,
        related_name="questionnaire_waves",
    )
    kind = models.CharField(_("wave"), max_length=10, choices=WaveKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=WaveStatus.choices, default=WaveStatus.PREPARING
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("questionnaire wave")
        verbose_name_plural = _("questionnaire waves")
        ordering = ["engagement", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "kind"], name="questionnaire_wave_unique_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="questionnaire_wave_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def clean(self) -> None:
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("The end cannot be before the start.")})

    def can_answer(self) -> bool:
        return self.status == WaveStatus.OPEN

    @property
    def is_preparing(self) -> bool:
        return self.status == WaveStatus.PREPARING


class WaveStatusChange(StatusChangeBase):
    """One opening or closing of a wave: who, when, from which status, and the note why."""

    wave = models.ForeignKey(QuestionnaireWave, verbose_name=_("questionnaire wave"),
                             on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("status change of a questionnaire wave")
        verbose_name_plural = _("status changes of questionnaire waves")


def _score_field(verbose_name):
    return models.PositiveSmallIntegerField(
        verbose_name, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class QuestionnaireResponse(models.Model):
    """One colleague's anonymous answers. Never edited, never traced (see the module's note).

    ``section`` is optional: a respondent may decline to say, and results per section are
    shown only for groups of at least ``MIN_GROUP_SIZE``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(
        QuestionnaireWave,
        verbose_name=_("wave"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    section = models.ForeignKey(
        "engagements.Organisation",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    satisfaction_desk = _score_field(_("satisfaction: desk environment"))
    satisfaction_meeting = _score_field(_("satisfaction: meeting and collaboration space"))
    satisfaction_shared = _score_field(_("satisfaction: shared space"))
    satisfaction_storage = _score_field(_("satisfaction: storage and security"))
    satisfaction_overall = _score_field(_("satisfaction: the office overall"))
    importance_desk = _score_field(_("importance: desk environment"))
    importance_meeting = _score_field(_("importance: meeting and collaboration space"))
    importance_shared = _score_field(_("importance: shared space"))
    importance_storage = _score_field(_("importance: storage and security"))
    importance_overall = _score_field(_("importance: the office overall"))
    telework_readiness = _score_field(_("readiness for telework"))
    paperless_readiness = _score_field(_("readiness for paperless work"))
    comment = models.TextField(_("free comment"), blank=True, max_length=2000)

    # Deliberately no HistoricalRecords: see the module docstring.

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                name=f"questionnaire_response_{name}_1_to_5",
            )
            for name in SCORE_FIELDS
        ]

    def __str__(self) -> str:
        return str(_("Anonymous response"))
