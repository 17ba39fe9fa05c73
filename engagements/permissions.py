"""Who may do what in an engagement: the one place where role rules live.

Membership decides *whether* a user sees an engagement at all (others get 404); this matrix
decides what a member may do in it (others get 403). Services check it again through
``require``, so a rule cannot be skipped by calling a service from elsewhere.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .selectors import membership_get_for_user


class Action(StrEnum):
    VIEW = "view"
    EXPORT_REPORT = "export_report"
    MANAGE_MEMBERS = "manage_members"
    # Survey: the city's staff fill it in; the contractor reads it.
    EDIT_SURVEY = "edit_survey"
    # Proposals: the contractor drafts and submits; the city returns or approves.
    EDIT_PROPOSAL = "edit_proposal"
    DECIDE_PROPOSAL = "decide_proposal"
    EDIT_CATALOGUE = "edit_catalogue"
    # Procurement and installation: the contractor updates, the city inspects (検収).
    EDIT_PROCUREMENT = "edit_procurement"
    INSPECT_DELIVERY = "inspect_delivery"
    SET_PROCUREMENT_BUDGET = "set_procurement_budget"
    RECORD_ASSET_NUMBERS = "record_asset_numbers"
    # Disposal and transfer: the contractor records, the city decides an item is unneeded.
    EDIT_DISPOSAL = "edit_disposal"
    DECIDE_DISPOSAL = "decide_disposal"
    # The city alone changes a decided item (with a reason) and runs the offer to the wards.
    REVISE_DISPOSAL_DECISION = "revise_disposal_decision"
    ALLOCATE_REUSE = "allocate_reuse"
    # Meetings: the contractor writes minutes, the city confirms them.
    WRITE_MINUTES = "write_minutes"
    CONFIRM_MINUTES = "confirm_minutes"
    # Approvals register: the contractor requests, only the city decides.
    REQUEST_APPROVAL = "request_approval"
    DECIDE_APPROVAL = "decide_approval"
    # Either party attaches papers to a request: the contractor's application, the city's
    # answer.
    ATTACH_APPROVAL_FILE = "attach_approval_file"
    # Report: the contractor writes its text and submits versions (提出); the city accepts
    # (受理) or returns them; both state the scope and which studies are the baseline.
    SUBMIT_REPORT = "submit_report"
    DECIDE_REPORT = "decide_report"
    CONFIGURE_REPORT = "configure_report"


_EVERY_MEMBER = {Action.VIEW, Action.EXPORT_REPORT}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CITY_STAFF: frozenset(
        _EVERY_MEMBER
        | {
            Action.EDIT_SURVEY,
            Action.DECIDE_PROPOSAL,
            Action.INSPECT_DELIVERY,
            Action.SET_PROCUREMENT_BUDGET,
            Action.RECORD_ASSET_NUMBERS,
            Action.DECIDE_DISPOSAL,
            Action.REVISE_DISPOSAL_DECISION,
            Action.ALLOCATE_REUSE,
            Action.CONFIRM_MINUTES,
            Action.DECIDE_APPROVAL,
            Action.ATTACH_APPROVAL_FILE,
            Action.DECIDE_REPORT,
            Action.CONFIGURE_REPORT,
        }
    ),
    Role.CONTRACTOR: frozenset(
        _EVERY_MEMBER
        | {
            Action.EDIT_PROPOSAL,
            Action.EDIT_PROCUREMENT,
            Action.EDIT_DISPOSAL,
            Action.WRITE_MINUTES,
            Action.REQUEST_APPROVAL,
            Action.ATTACH_APPROVAL_FILE,
            Action.SUBMIT_REPORT,
            Action.CONFIGURE_REPORT,
        }
    ),
    # The administrator runs the installation: members and the furniture catalogue. It does
    # not act for either party, so that every decision stays with the city and every entry
    # of the contractor's stays the contractor's.
    Role.ADMINISTRATOR: frozenset(_EVERY_MEMBER | {Action.MANAGE_MEMBERS, Action.EDIT_CATALOGUE}),
}


def role_can(role: str | None, action: Action) -> bool:
    return role is not None and action in ROLE_ACTIONS.get(role, frozenset())


def require(role: str | None, action: Action) -> None:
    """Raise PermissionDenied with a message the user can read unless ``role`` may ``action``."""
    if not role_can(role, action):
        raise PermissionDenied(_("Your role in this engagement does not allow this action."))


def require_member(user, engagement, action: Action | None = None):
    """The user's membership of ``engagement`` (an engagement or its pk), checked for ``action``.

    The one membership check of services and views outside ``EngagementMixin``. Without
    ``action``, anyone but a member gets 404 (the engagement is not theirs to see). With an
    ``action`` — how services call it — a non-member gets ``PermissionDenied`` like a member
    whose role lacks the action, so a service never answers "not found" for a rule.
    """
    engagement_pk = getattr(engagement, "pk", engagement)
    try:
        membership = membership_get_for_user(user=user, engagement_pk=engagement_pk,
                                             load_engagement=False)
    except Http404:
        if action is None:
            raise
        require(None, action)
    if action is not None:
        require(membership.role, action)
    return membership
