import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import OrganisationKind, Role
from .concurrency import Versioned
from .unique import UniqueMessagesMixin
from .wareki import fiscal_year_of


class Organisation(UniqueMessagesMixin, models.Model):
    """A unit of the city (bureau, office, section, ward office, branch) or a company.

    Units form a tree through ``parent``; the 別紙2 chart of an engagement is the subtree
    under its client organisation. Ward offices and branches are transfer destinations and
    the sites of future engagements.
    """

    unique_messages = {
        ("parent", "name"): ("name", _("%(name)s already exists under %(parent)s.")),
    }

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head_title = models.CharField(_("head's title"), max_length=100, blank=True)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="organisation_unique_name_in_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        """京都市 文化市民局 地域自治推進室: the names from the top of the tree down."""
        names, unit = [], self
        while unit is not None:
            names.append(unit.name)
            unit = unit.parent
        return " ".join(reversed(names))

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("An organisation cannot be its own ancestor.")})
            ancestor = ancestor.parent


class Engagement(Versioned):
    """One reform commission (案件) for one office: the unit every other record belongs to.

    Only its members see it; see ``permissions.py`` for what each role may do.
    """

    title = models.CharField(_("title"), max_length=200)
    client = models.ForeignKey(
        Organisation,
        verbose_name=_("client organisation"),
        on_delete=models.PROTECT,
        related_name="client_engagements",
    )
    section = models.ForeignKey(
        Organisation,
        verbose_name=_("site section"),
        on_delete=models.PROTECT,
        related_name="site_engagements",
        help_text=_("The section whose workplace is reformed."),
    )
    building = models.CharField(_("building"), max_length=200)
    floor = models.CharField(_("floor"), max_length=50)
    contract_start = models.DateField(_("contract start"))
    contract_end = models.DateField(_("contract end"))
    fiscal_year = models.PositiveIntegerField(
        _("fiscal year"), help_text=_("Western year in which the fiscal year starts.")
    )
    contractor = models.CharField(_("contractor"), max_length=200)
    desk_count = models.PositiveIntegerField(_("number of desks (as commissioned)"), default=0)
    summary = models.TextField(_("purpose"), blank=True)
    # The report (報告書): its cover and the scope every figure is computed for.
    subtitle = models.CharField(
        _("subtitle of the commission"), max_length=200, blank=True,
        help_text=_("Printed under the title on the report's cover."),
    )
    addressee = models.CharField(_("addressee of the report"), max_length=100,
                                 default="京都市長 様")
    contractor_address = models.CharField(_("contractor's address"), max_length=200,
                                          blank=True)
    scope_sections = models.ManyToManyField(
        Organisation, verbose_name=_("scope (sections)"), blank=True, related_name="+",
        help_text=_("The sections whose desks the commission covers. Every figure of the "
                    "report is computed for them; other sections are shown as context only. "
                    "Empty: the site section."),
    )
    baseline_study = models.ForeignKey(
        "survey.OccupancyStudy", verbose_name=_("occupancy study before the reform"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    followup_study = models.ForeignKey(
        "survey.OccupancyStudy", verbose_name=_("occupancy study after the reform"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    baseline_wave = models.ForeignKey(
        "survey.QuestionnaireWave", verbose_name=_("questionnaire wave before the reform"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    followup_wave = models.ForeignKey(
        "survey.QuestionnaireWave", verbose_name=_("questionnaire wave after the reform"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="engagements"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-fiscal_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract_end__gte=models.F("contract_start")),
                name="engagement_contract_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagements:dashboard", kwargs={"engagement_pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            errors["contract_end"] = _("The contract cannot end before it starts.")
        if self.contract_start and self.fiscal_year is None:
            self.fiscal_year = fiscal_year_of(self.contract_start)
        for name in ("baseline_study", "followup_study", "baseline_wave", "followup_wave"):
            chosen = getattr(self, name)
            if chosen is not None and chosen.engagement_id != self.pk:
                errors[name] = _("Choose one of this engagement's own.")
        if (self.baseline_study_id and self.baseline_study_id == self.followup_study_id):
            errors["followup_study"] = _("The same study cannot be both before and after.")
        if (self.baseline_wave_id and self.baseline_wave_id == self.followup_wave_id):
            errors["followup_wave"] = _("The same wave cannot be both before and after.")
        if errors:
            raise ValidationError(errors)

    def scope_section_ids(self) -> list[int]:
        """The sections of the commission's scope (対象範囲); the site section when none set."""
        ids = [s.pk for s in self.scope_sections.all()]
        return ids or [self.section_id]


class ActiveMembershipManager(models.Manager):
    """Memberships in force: a deactivated member no longer sees or does anything."""

    def get_queryset(self):
        return super().get_queryset().filter(is_active=True)


class Membership(UniqueMessagesMixin, Versioned, models.Model):
    """A user's one role in one engagement.

    Ending a membership sets ``is_active`` to False instead of deleting the row, so that the
    history keeps who was a member, with which role, and who ended it when. ``objects`` sees
    the active memberships only; ``all_objects`` every row.
    """

    unique_messages = {
        ("engagement", "user"): ("user", _("%(user)s is already a member of this engagement.")),
    }

    engagement = models.ForeignKey(
        Engagement,
        verbose_name=_("engagement"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = ActiveMembershipManager()
    all_objects = models.Manager()  # noqa: DJ012 (two managers, not a field)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


def random_generation() -> int:
    """A new snapshot's first generation: random, so that a reused primary key (SQLite reuses
    the pk of a deleted engagement) never finds what was cached for the deleted one."""
    return secrets.randbits(62)


class StageProgressSnapshot(models.Model):
    """The dashboard's stage progress of an engagement, stored until something changes
    (``engagements.progress``). Derived data, rebuilt on demand: no history.

    ``generation`` grows with every change of the engagement's data (pages cache what they
    derive under it); a snapshot computed while a change was committed is not stored (its
    generation no longer matches).
    ``progress`` holds, per language, one ``[percent, summary]`` per stage; ``day`` is the day
    it was computed (overdue counts move with the date).
    """

    engagement = models.OneToOneField(
        Engagement, verbose_name=_("engagement"), on_delete=models.CASCADE, primary_key=True,
        related_name="+",
    )
    generation = models.PositiveBigIntegerField(default=random_generation)
    day = models.DateField(null=True, blank=True)
    progress = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("stored stage progress")
        verbose_name_plural = _("stored stage progress")

    def __str__(self) -> str:
        return f"{self.engagement_id}: {self.generation}"


class BackupRun(models.Model):
    """A backup (``manage.py backup``) in progress or done. While one runs (not finished and
    started within ``engagements.backup.LEASE``), stored files whose rows are deleted are kept
    as ``DeferredFileDeletion`` rows until it ends, so every file a row of its snapshot names
    is still there to be archived. Bookkeeping of the backup itself: no history, and its rows
    are left out of the archive."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("backup run")
        verbose_name_plural = _("backup runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M:%S}"


class DeferredFileDeletion(models.Model):
    """A stored file (default storage) whose row was deleted while a backup ran: deleted when
    no backup runs any more (``engagements.backup.delete_deferred_files``)."""

    name = models.CharField(_("file name"), max_length=1000)
    with_display_copy = models.BooleanField(_("with its display copy"), default=False)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("file deletion kept for a backup")
        verbose_name_plural = _("file deletions kept for a backup")

    def __str__(self) -> str:
        return self.name
