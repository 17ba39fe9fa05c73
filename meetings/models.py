"""Meetings (打合せ) with versioned minutes (議事録), and the approvals register (承認・協議)."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.concurrency import Versioned
from engagements.files import EngagementUploadTo
from engagements.unique import UniqueMessagesMixin
from engagements.uploads import ATTACHMENT_KINDS, UploadValidator
from engagements.workflow import StatusChangeBase

from .choices import (
    MINUTES_EDITABLE,
    ActionItemStatus,
    ApprovalKind,
    ApprovalStatus,
    AttendeeSide,
    MinutesStatus,
    SuggestionKind,
    Venue,
    WorkItem,
)
from .links import is_linkable, record_url

USER = settings.AUTH_USER_MODEL


class Meeting(Versioned, models.Model):
    """One meeting of the city and the contractor, at the office or on the web (仕様書 4)."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="meetings",
    )
    title = models.CharField(_("subject"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=10, choices=Venue.choices,
                             default=Venue.OFFICE)
    place = models.CharField(
        _("place"), max_length=200, blank=True,
        help_text=_("Room at the office, or the organiser of the web meeting."),
    )
    web_tool = models.CharField(
        _("web-meeting tool"), max_length=100, blank=True,
        help_text=_("Required for a web meeting, e.g. Microsoft Teams."),
    )
    web_app_approval = models.ForeignKey(
        "meetings.ApprovalRequest", verbose_name=_("approval of the paid app"),
        null=True, blank=True, on_delete=models.PROTECT, related_name="meetings",
        help_text=_("A paid web-meeting app needs the city's prior approval."),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    members = models.ManyToManyField(
        USER, through="Attendee", related_name="+", verbose_name=_("attendees"),
        through_fields=("meeting", "user"),
    )
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.engagement_id, self.pk])

    def clean(self) -> None:
        errors = {}
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The meeting cannot end before it starts.")
        if self.venue == Venue.WEB and not self.web_tool.strip():
            errors["web_tool"] = _("Name the tool used for the web meeting.")
        if self.venue == Venue.OFFICE and self.web_app_approval_id:
            errors["web_app_approval"] = _("A meeting at the office uses no web-meeting app.")
        if self.web_app_approval_id:
            approval = self.web_app_approval
            wrong = approval.engagement_id != self.engagement_id
            if wrong or approval.kind != ApprovalKind.WEB_APP:
                errors["web_app_approval"] = _("Choose an approval of a paid web-meeting app.")
            elif approval.status != ApprovalStatus.APPROVED:
                errors["web_app_approval"] = _(
                    "The paid app has not been approved by the city yet."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def place_display(self) -> str:
        if self.venue == Venue.WEB:
            extra = f" {self.place}" if self.place else ""
            return f"{Venue.WEB.label}（{self.web_tool}）{extra}"
        return self.place or str(self.engagement.client)


class Attendee(UniqueMessagesMixin, models.Model):
    """Someone at a meeting: a member of the engagement, or a guest named in free text."""

    unique_messages = {
        ("meeting", "user"): ("user", _("%(user)s is already an attendee of this meeting.")),
    }

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="attendees")
    user = models.ForeignKey(USER, verbose_name=_("member"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("guest's name"), max_length=100, blank=True)
    organisation = models.CharField(_("guest's organisation"), max_length=200, blank=True)
    side = models.CharField(_("side"), max_length=12, choices=AttendeeSide.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["side", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False, name="")
                           | models.Q(user__isnull=True) & ~models.Q(name="")),
                name="attendee_member_or_guest",
            ),
            models.UniqueConstraint(fields=["meeting", "user"], name="attendee_unique_member"),
        ]

    def __str__(self) -> str:
        if self.user_id:
            return f"{self.user.last_name} {self.user.first_name}".strip() or self.user.username
        return self.name

    def clean(self) -> None:
        if bool(self.user_id) == bool(self.name.strip()):
            raise ValidationError(_("An attendee is either a member or a named guest."))


class Minutes(models.Model):
    """One version of a meeting's minutes, written by the contractor and confirmed by the city.

    Confirmed minutes are frozen; a later correction is version n+1, which goes through the
    workflow again. The current minutes are the highest confirmed version.
    """

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="minutes_versions")
    version = models.PositiveIntegerField(_("minutes version"), default=1)
    # Optimistic locking (engagements.concurrency): ``version`` above is the 第n版.
    VERSION_FIELD = "edit_version"
    edit_version = models.PositiveIntegerField(_("edit version"), default=0, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=MinutesStatus.choices,
                              default=MinutesStatus.DRAFT)
    discussion = models.TextField(_("discussion"), blank=True)
    next_meeting = models.CharField(_("next meeting"), max_length=300, blank=True)
    revision_reason = models.CharField(_("reason for the correction"), max_length=300,
                                       blank=True)
    written_by = models.ForeignKey(USER, verbose_name=_("written by"), on_delete=models.PROTECT,
                                   related_name="+")
    confirmed_by = models.ForeignKey(USER, verbose_name=_("confirmed by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="minutes_unique_version"),
            models.CheckConstraint(condition=models.Q(version__gte=1),
                                   name="minutes_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.version}"

    def is_editable(self) -> bool:
        return self.status in MINUTES_EDITABLE

    @property
    def return_comment(self) -> str:
        """What the city asked to correct, while the minutes are returned (else "")."""
        if self.status != MinutesStatus.RETURNED:
            return ""
        changes = list(self.status_changes.all())
        return changes[-1].comment if changes else ""

    @property
    def is_confirmed(self) -> bool:
        return self.status == MinutesStatus.CONFIRMED


class MinutesStatusChange(StatusChangeBase):
    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE,
                                related_name="status_changes")

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("status change of minutes")
        verbose_name_plural = _("status changes of minutes")


class Decision(models.Model):
    """A decision (決定事項) in one version of the minutes, optionally linked to what it
    concerns: only models registered in ``meetings.links.LINKABLE_MODELS``."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE,
                                related_name="decisions")
    order = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("decision"))
    linked_type = models.ForeignKey(ContentType, verbose_name=_("concerns (type)"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    linked_id = models.PositiveBigIntegerField(_("concerns (id)"), null=True, blank=True)
    linked = GenericForeignKey("linked_type", "linked_id")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:50]

    @property
    def linked_label(self) -> str:
        """What the decision concerns, e.g. 提案「執務環境の改善提案」; "" without a link."""
        target = self.linked if self.linked_type_id else None
        if target is None:
            return ""
        return _("%(kind)s “%(name)s”") % {"kind": target._meta.verbose_name, "name": target}

    @property
    def linked_url(self) -> str:
        target = self.linked if self.linked_type_id else None
        return record_url(target) if target is not None else ""

    def clean(self) -> None:
        if bool(self.linked_type_id) != bool(self.linked_id):
            raise ValidationError(_("A link needs both the kind of record and the record."))
        if self.linked_type_id:
            if not is_linkable(self.linked_type):
                raise ValidationError(_("Decisions cannot be linked to this kind of record."))
            target = self.linked
            if target is None or getattr(target, "engagement_id", None) != (
                self.minutes.meeting.engagement_id
            ):
                raise ValidationError(_("The linked record does not belong to this engagement."))


class ActionItem(models.Model):
    """An action item (宿題事項) with its owner, due date and status.

    The status is follow-up, not the minutes' text: it may change after the minutes are
    confirmed, and it is carried over to a corrected version.
    """

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE,
                                related_name="action_items")
    order = models.PositiveIntegerField(_("position"), default=0)
    description = models.TextField(_("action"))
    owner = models.ForeignKey(USER, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField(_("owner (other)"), max_length=100, blank=True,
                                  help_text=_("If the owner is not a member."))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionItemStatus.choices,
                              default=ActionItemStatus.OPEN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.description[:50]

    def clean(self) -> None:
        if not self.owner_id and not self.owner_name.strip():
            raise ValidationError({"owner": _("Name the owner of the action item.")})

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.status == ActionItemStatus.OPEN and self.due_date and self.due_date < today
        )

    @property
    def owner_display(self) -> str:
        if self.owner_id:
            return f"{self.owner.last_name} {self.owner.first_name}".strip() or self.owner.username
        return self.owner_name


class ActionItemStatusChange(StatusChangeBase):
    item = models.ForeignKey(ActionItem, verbose_name=_("action item"),
                             on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("status change of an action item")
        verbose_name_plural = _("status changes of action items")


class ApprovalRequest(models.Model):
    """A request of the contractor's that needs the city's answer (承認・協議).

    再委託 needs the city's written approval and names the subcontractor, the part of the
    work and the reason; a request covering every item of the work (一括再委託) is refused at
    entry. Only city staff decide; the contractor may withdraw a pending request.
    """

    # The history page names the items of the work, not their stored codes.
    HISTORY_LIST_CHOICES = {"work_items": WorkItem}

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="approval_requests",
    )
    kind = models.CharField(_("kind"), max_length=14, choices=ApprovalKind.choices)
    title = models.CharField(_("subject"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    subcontractor = models.CharField(_("subcontractor"), max_length=200, blank=True)
    work_items = models.JSONField(_("part of the work"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    app_name = models.CharField(_("app"), max_length=100, blank=True)
    cost_yen = models.PositiveIntegerField(_("cost (yen)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ApprovalStatus.choices,
                              default=ApprovalStatus.REQUESTED)
    requested_by = models.ForeignKey(USER, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    document_number = models.CharField(
        _("city's document number"), max_length=50, blank=True,
        help_text=_("e.g. 京地自第123号"),
    )
    document_date = models.DateField(_("date of the city's document"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decision_comment = models.TextField(_("city's answer"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-requested_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:approval_detail", args=[self.engagement_id, self.pk])

    def clean(self) -> None:
        errors = {}
        if self.kind == ApprovalKind.SUBCONTRACT:
            if not self.subcontractor.strip():
                errors["subcontractor"] = _("Name the subcontractor.")
            if not self.reason.strip():
                errors["reason"] = _("Give the reason for subcontracting.")
            items = set(self.work_items or [])
            if not items:
                errors["work_items"] = _("Choose the part of the work to be subcontracted.")
            elif not items <= set(WorkItem.values):
                errors["work_items"] = _("Choose items of the work from the list.")
            elif items == set(WorkItem.values):
                errors["work_items"] = _(
                    "Subcontracting the whole work (一括再委託) is not approved by the city; "
                    "choose only the part to be subcontracted."
                )
        if self.kind == ApprovalKind.WEB_APP and not self.app_name.strip():
            errors["app_name"] = _("Name the paid web-meeting app.")
        if self.document_date and self.document_date < self.requested_on:
            errors["document_date"] = _("The city's document cannot predate the request.")
        if errors:
            raise ValidationError(errors)

    def work_items_display(self) -> list[str]:
        return [WorkItem(item).label for item in self.work_items or [] if item in WorkItem.values]

    def is_pending(self) -> bool:
        return self.status == ApprovalStatus.REQUESTED


class ApprovalStatusChange(StatusChangeBase):
    request = models.ForeignKey(ApprovalRequest, verbose_name=_("approval request"),
                                on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("status change of an approval request")
        verbose_name_plural = _("status changes of approval requests")


class Suggestion(models.Model):
    """A proposal or piece of information offered by the contractor on its own initiative
    (自主提案・情報提供, 仕様書 7(4)), with the city's response: a simple log."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="meeting_suggestions",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SuggestionKind.choices,
                            default=SuggestionKind.PROPOSAL)
    title = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("content"))
    submitted_by = models.ForeignKey(USER, verbose_name=_("submitted by"),
                                     on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate)
    response = models.TextField(_("city's response"), blank=True)
    responded_by = models.ForeignKey(USER, verbose_name=_("responded by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal or information")
        verbose_name_plural = _("proposals and information")
        ordering = ["-submitted_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    """A file attached to a meeting or an approval request; downloaded through a view that
    checks membership, never through a public media URL."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="meeting_attachments",
    )
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="attachments")
    approval = models.ForeignKey(ApprovalRequest, verbose_name=_("approval request"), null=True,
                                 blank=True, on_delete=models.CASCADE,
                                 related_name="attachments")
    file = models.FileField(_("file"), upload_to=EngagementUploadTo("meetings"), max_length=300,
                            validators=[UploadValidator(*ATTACHMENT_KINDS)])
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(USER, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(meeting__isnull=False, approval__isnull=True)
                           | models.Q(meeting__isnull=True, approval__isnull=False)),
                name="attachment_of_meeting_or_approval",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def clean(self) -> None:
        if bool(self.meeting_id) == bool(self.approval_id):
            raise ValidationError(_("An attachment belongs to a meeting or an approval request."))
