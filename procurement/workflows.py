"""The status machines of the procurement stage, one ``Workflow`` each.

Positions: 未手配 → 発注済 → 納品済 → 設置済 → 検収済 (the city may also inspect a delivered unit
that has no installation step). Orders: being quoted → ordered, or cancelled. Findings
(指摘): raised → corrected (是正) → re-inspected and passed, or raised again.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from engagements.permissions import Action
from engagements.workflow import Transition, Workflow

from .choices import FindingStatus, OrderStatus
from .choices import PositionStatus as P
from .models import (
    Finding,
    FindingStatusChange,
    Order,
    OrderStatusChange,
    Position,
    PositionStatusChange,
)


def _check_anchored(position: Position) -> None:
    """Tall storage is installed only once its anchoring (転倒防止) is confirmed."""
    if position.needs_anchoring and not position.anchored:
        limit = settings.OFFICE_REFORM["PROCUREMENT"]["TALL_STORAGE_MM"]
        raise ValidationError(
            _("%(position)s is storage of %(limit)s mm or taller: confirm its anchoring "
              "(転倒防止) before marking it installed.")
            % {"position": position, "limit": f"{limit:,}"}
        )


def _check_no_open_finding(position: Position) -> None:
    if position.findings.exclude(status=FindingStatus.RESOLVED).exists():
        raise ValidationError(
            _("%(position)s has a finding that is not yet corrected and re-inspected.")
            % {"position": position}
        )


POSITION_WORKFLOW = Workflow(
    model=Position,
    log_model=PositionStatusChange,
    log_fk="position",
    transitions={
        (P.NOT_ORDERED, P.ORDERED): Transition(Action.EDIT_PROCUREMENT, _("Mark ordered")),
        (P.ORDERED, P.DELIVERED): Transition(Action.EDIT_PROCUREMENT, _("Mark delivered")),
        (P.DELIVERED, P.INSTALLED): Transition(Action.EDIT_PROCUREMENT, _("Mark installed"),
                                               style="success", check=_check_anchored,
                                               check_values=True),
        (P.DELIVERED, P.INSPECTED): Transition(Action.INSPECT_DELIVERY, _("Pass inspection"),
                                               style="success", check=_check_no_open_finding),
        (P.INSTALLED, P.INSPECTED): Transition(Action.INSPECT_DELIVERY, _("Pass inspection"),
                                               style="success", check=_check_no_open_finding),
    },
)

ORDER_WORKFLOW = Workflow(
    model=Order,
    log_model=OrderStatusChange,
    log_fk="order",
    transitions={
        (OrderStatus.DRAFT, OrderStatus.ISSUED): Transition(Action.EDIT_PROCUREMENT,
                                                            _("Issue the order")),
        (OrderStatus.DRAFT, OrderStatus.CANCELLED): Transition(
            Action.EDIT_PROCUREMENT, _("Cancel the draft"), comment_required=True,
            style="outline-danger"),
    },
)

FINDING_WORKFLOW = Workflow(
    model=Finding,
    log_model=FindingStatusChange,
    log_fk="finding",
    transitions={
        (FindingStatus.OPEN, FindingStatus.CORRECTED): Transition(
            Action.EDIT_PROCUREMENT, _("Record the correction"), comment_required=True),
        (FindingStatus.CORRECTED, FindingStatus.RESOLVED): Transition(
            Action.INSPECT_DELIVERY, _("Re-inspected: passed"), style="success"),
        (FindingStatus.CORRECTED, FindingStatus.OPEN): Transition(
            Action.INSPECT_DELIVERY, _("Re-inspected: not yet corrected"),
            comment_required=True, style="danger"),
    },
)
