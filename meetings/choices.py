"""Choices of the meetings app, with the allowed transitions beside the statuses they govern."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from engagements.badges import badge_colours


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


badge_colours(MinutesStatus, {
    MinutesStatus.DRAFT: "secondary", MinutesStatus.REQUESTED: "warning",
    MinutesStatus.CONFIRMED: "success", MinutesStatus.RETURNED: "danger",
})

# The transitions (who may take which) are in ``meetings/workflows.py``.
# The contractor may change the text only while the minutes are with the contractor.
MINUTES_EDITABLE = frozenset({MinutesStatus.DRAFT, MinutesStatus.RETURNED})


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


badge_colours(ActionItemStatus, {
    ActionItemStatus.OPEN: "primary", ActionItemStatus.DONE: "success",
    ActionItemStatus.CANCELLED: "secondary",
})


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


badge_colours(ApprovalStatus, {
    ApprovalStatus.REQUESTED: "warning", ApprovalStatus.APPROVED: "success",
    ApprovalStatus.REJECTED: "danger", ApprovalStatus.WITHDRAWN: "secondary",
})

# Only a pending request moves: the city decides it, or the contractor withdraws it
# (``meetings/workflows.py``).
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
