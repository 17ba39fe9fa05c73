"""The two status machines of the meetings app, on the shared ``engagements.workflow``.

Each table is ``{(source, target): Transition}``: anything not listed is refused. Services
move an object only through ``MINUTES_WORKFLOW.apply`` / ``APPROVAL_WORKFLOW.apply``, and
templates list the buttons from ``.available(obj, role)``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from engagements.permissions import Action
from engagements.workflow import Transition, Workflow

from .choices import ApprovalStatus, MinutesStatus
from .models import ApprovalRequest, ApprovalStatusChange, Minutes, MinutesStatusChange


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
