"""Every workflow has a table written out literally in its app's tests (CONTRIBUTING, Tests).

The literal tables live next to their app's transition tests; this module only gathers them,
so that a new workflow without one fails here, and checks each against its workflow's pairs.
"""

import pytest

from engagements.workflow import WORKFLOWS
from tests.disposal.test_services import ALLOWED as ITEM_ALLOWED
from tests.disposal.test_workflows import MANIFEST_ALLOWED, REQUEST_ALLOWED, TRANSFER_ALLOWED
from tests.meetings.test_services import APPROVAL_ALLOWED, MINUTES_ALLOWED
from tests.meetings.test_workflows import ACTION_ITEM_ALLOWED
from tests.procurement.test_workflows import FINDING_ALLOWED, ORDER_ALLOWED, POSITION_ALLOWED
from tests.proposals.test_services import ALLOWED_PAIRS as ALTERNATIVE_ALLOWED
from tests.reports.test_workflows import VERSION_ALLOWED
from tests.survey.test_questionnaire import ALLOWED as WAVE_ALLOWED
from tests.test_workflows import _load_workflows

# "app.Model" → its literal allowed pairs (a set, or a dict of pair → action).
LITERAL_TABLES = {
    "survey.QuestionnaireWave": WAVE_ALLOWED,
    "proposals.Alternative": ALTERNATIVE_ALLOWED,
    "procurement.Position": POSITION_ALLOWED,
    "procurement.Order": ORDER_ALLOWED,
    "procurement.Finding": FINDING_ALLOWED,
    "disposal.DisposalItem": ITEM_ALLOWED,
    "disposal.Transfer": TRANSFER_ALLOWED,
    "disposal.Manifest": MANIFEST_ALLOWED,
    "disposal.ReuseRequest": REQUEST_ALLOWED,
    "meetings.Minutes": MINUTES_ALLOWED,
    "meetings.ApprovalRequest": APPROVAL_ALLOWED,
    "meetings.ActionItem": ACTION_ITEM_ALLOWED,
    "reports.ReportVersion": VERSION_ALLOWED,
}


def _workflows() -> dict:
    _load_workflows()
    return {w.model._meta.label: w for w in WORKFLOWS}


def test_every_workflow_has_a_literal_table():
    assert set(_workflows()) == set(LITERAL_TABLES)
    assert len(LITERAL_TABLES) == 13


@pytest.mark.parametrize("label", sorted(LITERAL_TABLES))
def test_the_literal_table_has_the_workflows_pairs(label):
    assert set(_workflows()[label].transitions) == set(LITERAL_TABLES[label])
