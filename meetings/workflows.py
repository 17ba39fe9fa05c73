"""The two status machines of the meetings app, on the shared ``engagements.workflow``.

Each table is ``{(source, target): Transition}``: anything not listed is refused. Services
move an object only through ``MINUTES_WORKFLOW.apply`` / ``APPROVAL_WORKFLOW.apply``, and
templates list the buttons from ``.available(obj, role)``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from engagements.permissions import Action
from engagements.workflow import Transition, Workflow

from .choices import ActionItemStatus, ApprovalStatus, MinutesStatus
from .models import (
    ActionItem,
    ActionItemStatusChange,
    ApprovalRequest,
    ApprovalStatusChange,
    Minutes,
    MinutesStatusChange,
)


def minutes_have_text(minutes: Minutes) -> None:
    """Minutes go to the city only with a discussion or a decision (checked on the locked row,
    so text saved in the same action counts)."""
    if not (minutes.discussion.strip() or minutes.decisions.exists()):
        raise ValidationError(
            _("Write the discussion or at least one decision before asking for confirmation.")
        )


_ASK = Transition(Action.WRITE_MINUTES, _("Ask the city to confirm"), style="success",
                  check=minutes_have_text)

MINUTES_WORKFLOW = Workflow(
    model=Minutes,
    log_model=MinutesStatusChange,
    log_fk="minutes",
    engagement_of=lambda minutes: minutes.meeting.engagement,
    transitions={
        (MinutesStatus.DRAFT, MinutesStatus.REQUESTED): _ASK,
        (MinutesStatus.RETURNED, MinutesStatus.REQUESTED): _ASK,
        (MinutesStatus.REQUESTED, MinutesStatus.CONFIRMED): Transition(
            Action.CONFIRM_MINUTES, _("Confirm the minutes"), style="success",
        ),
        (MinutesStatus.REQUESTED, MinutesStatus.RETURNED): Transition(
            Action.CONFIRM_MINUTES, _("Return to the contractor"), comment_required=True,
            style="outline-danger", comment_message=_("Say what should be corrected."),
        ),
    },
)

APPROVAL_WORKFLOW = Workflow(
    model=ApprovalRequest,
    log_model=ApprovalStatusChange,
    log_fk="request",
    transitions={
        (ApprovalStatus.REQUESTED, ApprovalStatus.APPROVED): Transition(
            Action.DECIDE_APPROVAL, _("Approve"), style="success",
        ),
        (ApprovalStatus.REQUESTED, ApprovalStatus.REJECTED): Transition(
            Action.DECIDE_APPROVAL, _("Do not approve"), style="outline-danger",
        ),
        (ApprovalStatus.REQUESTED, ApprovalStatus.WITHDRAWN): Transition(
            Action.REQUEST_APPROVAL, _("Withdraw the request"), style="outline-secondary",
        ),
    },
)

# An action item is follow-up, not the minutes' text: it may be done, cancelled or reopened at
# any time, also on confirmed minutes; every change is still one explicit row.
_AI = ActionItemStatus
ACTION_ITEM_WORKFLOW = Workflow(
    model=ActionItem,
    log_model=ActionItemStatusChange,
    log_fk="item",
    engagement_of=lambda item: item.minutes.meeting.engagement,
    transitions={
        (_AI.OPEN, _AI.DONE): Transition(Action.WRITE_MINUTES, _("Mark done")),
        (_AI.OPEN, _AI.CANCELLED): Transition(Action.WRITE_MINUTES, _("Cancel the item")),
        (_AI.DONE, _AI.OPEN): Transition(Action.WRITE_MINUTES, _("Reopen")),
        (_AI.DONE, _AI.CANCELLED): Transition(Action.WRITE_MINUTES, _("Cancel the item")),
        (_AI.CANCELLED, _AI.OPEN): Transition(Action.WRITE_MINUTES, _("Reopen")),
        (_AI.CANCELLED, _AI.DONE): Transition(Action.WRITE_MINUTES, _("Mark done")),
    },
)
