"""The report's own records: submitted versions (版), background builds, the contractor's text.

The reports app never writes domain data of the stages; these models hold only what the
report itself adds: what was submitted and when, the stored files, and the 所見・考察 the
contractor writes for the report.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.badges import badge_colours
from engagements.concurrency import Versioned
from engagements.files import EngagementUploadTo
from engagements.workflow import StatusChangeBase


class VersionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


badge_colours(VersionStatus, {VersionStatus.SUBMITTED: "warning",
                              VersionStatus.ACCEPTED: "success",
                              VersionStatus.RETURNED: "danger"})


class ReportVersion(models.Model):
    """One submitted version (版) of the report: the PDF built once and stored, never rebuilt.

    Its 版 number, issue date, SHA-256 and the pre-submission check results are fixed at
    submission; the city accepts (受理) or returns (差戻し) it through ``VERSION_WORKFLOW``.
    The ZIP of electronic data holds exactly the stored PDF.
    """

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="report_versions",
    )
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices,
                              default=VersionStatus.SUBMITTED)
    issued_on = models.DateField(_("date of issue"))
    pdf = models.FileField(_("report PDF"), upload_to=EngagementUploadTo("reports/versions"),
                           max_length=300)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    pdf_size = models.PositiveBigIntegerField(_("size of the PDF (bytes)"), default=0)
    data_zip = models.FileField(_("electronic data (ZIP)"), blank=True, max_length=300,
                                upload_to=EngagementUploadTo("reports/versions"))
    data_sha256 = models.CharField(_("SHA-256 of the ZIP"), max_length=64, blank=True)
    checks = models.JSONField(_("pre-submission check"), default=list, blank=True)
    acknowledgement = models.TextField(_("acknowledgement of open items"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["engagement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "number"],
                                    name="reportversion_unique_number"),
        ]

    def __str__(self) -> str:
        return _("Version %(n)s") % {"n": self.number}

    @property
    def open_items(self) -> list[dict]:
        return [item for item in self.checks if not item.get("ok")]


class ReportVersionStatusChange(StatusChangeBase):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE,
                                related_name="status_changes")

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("report version status change")
        verbose_name_plural = _("report version status changes")


class BuildKind(models.TextChoices):
    DRAFT_PDF = "draft_pdf", _("Draft report (PDF)")
    DRAFT_DATA = "draft_data", _("Draft electronic data (ZIP)")
    VERSION = "version", _("Submission of a version")
    VERSION_DATA = "version_data", _("Electronic data of a version (ZIP)")


class BuildState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Building")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportBuild(models.Model):
    """One background build (django-tasks) of a report PDF or ZIP, with its progress.

    The worker updates ``progress`` and ``step`` as it goes; the report page shows them. A
    failed build leaves every version untouched and keeps the reason in ``message``.
    """

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="report_builds",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=BuildKind.choices)
    # A background job's state (queued → running → done/failed), written by the task itself:
    # not a status of the engagement's records, so not a workflow.
    state = models.CharField(_("state"), max_length=20, choices=BuildState.choices,
                             default=BuildState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    version = models.ForeignKey(ReportVersion, verbose_name=_("version"), null=True,
                                blank=True, on_delete=models.CASCADE, related_name="builds")
    file = models.FileField(_("file"), blank=True, max_length=300,
                            upload_to=EngagementUploadTo("reports/builds"))
    acknowledgement = models.TextField(_("acknowledgement of open items"), blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def active(self) -> bool:
        return self.state in (BuildState.QUEUED, BuildState.RUNNING)


class ReportText(Versioned):
    """What the contractor writes for one chapter of the report: 所見 (findings) and 考察.

    ``chapter`` is a chapter key (``survey``, ``proposals``…) or ``summary`` / ``future`` for
    the まとめ and 課題と今後 of the closing chapter. Printed as written, reviewed with each
    version.
    """

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="report_texts",
    )
    chapter = models.CharField(_("chapter"), max_length=50)
    findings = models.TextField(_("findings"), blank=True)
    discussion = models.TextField(_("considerations"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        ordering = ["engagement", "chapter"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "chapter"],
                                    name="reporttext_unique_chapter"),
        ]

    def __str__(self) -> str:
        return self.chapter
