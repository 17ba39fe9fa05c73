"""Choices of the meetings app, with the allowed transitions beside the statuses they govern."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from engagements.permissions import Action

# Attachments above this size are refused (settings.OFFICE_REFORM["MEETINGS_MAX_UPLOAD_BYTES"]).
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class Venue(models.TextChoices):
    """Where a meeting is held: the commission names the office or a web meeting."""

    OFFICE = "office", _("At the office")
    WEB = "web", _("Web meeting")


class AttendeeSide(models.TextChoices):
    CITY = "city", _("City side")
    CONTRACTOR = "contractor", _("Contractor side")
    GUEST = "guest", _("Guest")


class MinutesStatus(models.TextChoices):
    """下書き → 確認依頼 → 確定 (or 差戻し → 確認依頼 again). Confirmed minutes are frozen."""

    DRAFT = "draft", _("Draft")
    REQUESTED = "requested", _("Confirmation requested")
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned")


# (source, target) → the action a member needs for it. Anything not listed is refused.
MINUTES_TRANSITIONS: dict[tuple[str, str], Action] = {
    (MinutesStatus.DRAFT, MinutesStatus.REQUESTED): Action.WRITE_MINUTES,
    (MinutesStatus.RETURNED, MinutesStatus.REQUESTED): Action.WRITE_MINUTES,
    (MinutesStatus.REQUESTED, MinutesStatus.CONFIRMED): Action.CONFIRM_MINUTES,
    (MinutesStatus.REQUESTED, MinutesStatus.RETURNED): Action.CONFIRM_MINUTES,
}
# The contractor may change the text only while the minutes are with the contractor.
MINUTES_EDITABLE = frozenset({MinutesStatus.DRAFT, MinutesStatus.RETURNED})


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ApprovalKind(models.TextChoices):
    """What the contractor asks the city for (仕様書 4, 6, 7)."""

    SUBCONTRACT = "subcontract", _("Subcontracting")
    WEB_APP = "web_app", _("Paid web-meeting app")
    REUSE = "reuse", _("Reuse of the deliverable")
    CONSULTATION = "consultation", _("Consultation")


class ApprovalStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Only a pending request moves: the city decides it, or the contractor withdraws it.
APPROVAL_TRANSITIONS: dict[tuple[str, str], Action] = {
    (ApprovalStatus.REQUESTED, ApprovalStatus.APPROVED): Action.DECIDE_APPROVAL,
    (ApprovalStatus.REQUESTED, ApprovalStatus.REJECTED): Action.DECIDE_APPROVAL,
    (ApprovalStatus.REQUESTED, ApprovalStatus.WITHDRAWN): Action.REQUEST_APPROVAL,
}
APPROVAL_DECISIONS = frozenset({ApprovalStatus.APPROVED, ApprovalStatus.REJECTED})


class WorkItem(models.TextChoices):
    """The four items of work in the commission (仕様書 3). Subcontracting all of them is
    a wholesale subcontract (一括再委託), which the city does not approve."""

    SURVEY = "survey", _("(1) Survey of the workplace")
    PROPOSAL = "proposal", _("(2) Proposal of the best workplace")
    PROCUREMENT = "procurement", _("(3) Procurement, installation and cabling")
    DISPOSAL = "disposal", _("(4) Disposal or transfer")


class SuggestionKind(models.TextChoices):
    """仕様書 7(4): the contractor gathers information and makes proposals on its own."""

    PROPOSAL = "proposal", _("Proposal")
    INFORMATION = "information", _("Information")
