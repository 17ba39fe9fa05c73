"""The role × action matrix, written out in full so that any change to a rule shows here."""

import pytest
from django.core.exceptions import PermissionDenied

from engagements.choices import Role
from engagements.permissions import ROLE_ACTIONS, Action, require, role_can

C, K, A = Role.CITY_STAFF, Role.CONTRACTOR, Role.ADMINISTRATOR
EXPECTED = {
    Action.VIEW: {C, K, A},
    Action.EXPORT_REPORT: {C, K, A},
    Action.MANAGE_MEMBERS: {A},
    Action.EDIT_SURVEY: {C},
    Action.EDIT_PROPOSAL: {K},
    Action.DECIDE_PROPOSAL: {C},
    Action.EDIT_CATALOGUE: {A},
    Action.EDIT_PROCUREMENT: {K},
    Action.INSPECT_DELIVERY: {C},
    Action.SET_PROCUREMENT_BUDGET: {C},
    Action.RECORD_ASSET_NUMBERS: {C},
    Action.EDIT_DISPOSAL: {K},
    Action.DECIDE_DISPOSAL: {C},
    Action.REVISE_DISPOSAL_DECISION: {C},
    Action.ALLOCATE_REUSE: {C},
    Action.WRITE_MINUTES: {K},
    Action.CONFIRM_MINUTES: {C},
    Action.REQUEST_APPROVAL: {K},
    Action.DECIDE_APPROVAL: {C},
    Action.ATTACH_APPROVAL_FILE: {C, K},
    Action.SUBMIT_REPORT: {K},
    Action.DECIDE_REPORT: {C},
    Action.CONFIGURE_REPORT: {C, K},
}


def test_every_action_has_an_expected_row():
    assert set(EXPECTED) == set(Action)
    assert set(ROLE_ACTIONS) == set(Role)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_role_action_matrix(role, action):
    allowed = role in EXPECTED[action]
    assert role_can(role, action) is allowed
    if allowed:
        require(role, action)
    else:
        with pytest.raises(PermissionDenied):
            require(role, action)


@pytest.mark.parametrize("action", list(Action))
def test_no_role_may_do_nothing(action):
    assert role_can(None, action) is False
    assert role_can("stranger", action) is False
