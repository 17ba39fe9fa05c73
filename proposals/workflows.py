"""The status machine of an alternative, on the shared ``engagements.workflow``.

下書き → 提出 → 差戻し (→ 提出 …) or 承認; an approved alternative is frozen (no way out).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from engagements.permissions import Action
from engagements.workflow import Transition, Workflow

from .choices import AlternativeStatus as S
from .models import Alternative, StatusChange


def no_other_approved(alternative: Alternative) -> None:
    """Only one alternative of a proposal is approved (checked on the locked row)."""
    other = (
        Alternative.objects.filter(proposal_id=alternative.proposal_id, status=S.APPROVED)
        .exclude(pk=alternative.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            _("%(other)s of this proposal is already approved; only one alternative can be.")
            % {"other": other.label}
        )


def none_approved_yet(alternative: Alternative) -> None:
    """A draft or returned alternative is not submitted once another is approved: the city
    could only return it (the page says so instead of offering the button)."""
    other = alternative.approved_sibling()
    if other is not None:
        raise ValidationError(
            _("%(other)s of this proposal is already approved, so %(label)s cannot be "
              "submitted.") % {"other": other.label, "label": alternative.label}
        )


_SUBMIT = Transition(Action.EDIT_PROPOSAL, _("Submit to the city"), check=none_approved_yet)

ALTERNATIVE_WORKFLOW = Workflow(
    model=Alternative,
    log_model=StatusChange,
    log_fk="alternative",
    engagement_of=lambda alternative: alternative.proposal.engagement,
    name_of=lambda alternative: alternative.label,
    transitions={
        (S.DRAFT, S.SUBMITTED): _SUBMIT,
        (S.RETURNED, S.SUBMITTED): _SUBMIT,
        (S.SUBMITTED, S.APPROVED): Transition(
            Action.DECIDE_PROPOSAL, _("Approve"), style="success", check=no_other_approved,
        ),
        (S.SUBMITTED, S.RETURNED): Transition(
            Action.DECIDE_PROPOSAL, _("Return with comments"), comment_required=True,
            style="outline-danger", comment_message=_("Say why the alternative is returned."),
        ),
    },
)
