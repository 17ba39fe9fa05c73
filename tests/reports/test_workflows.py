"""The report versions' status machine against a table written out here.

The allowed pairs and the action each needs are literal constants (never read from the
workflow), so a pair added to or dropped from the table, or a changed action, fails here.
Every other pair of the status choices is refused and writes nothing.
"""

import pytest

from engagements.permissions import Action
from reports.models import ReportVersion
from reports.models import VersionStatus as V
from reports.workflows import VERSION_WORKFLOW
from tests.transition_tables import assert_refused_and_nothing_written, disallowed, table_of

VERSION_ALLOWED = {
    (V.SUBMITTED, V.ACCEPTED): Action.DECIDE_REPORT,
    (V.SUBMITTED, V.RETURNED): Action.DECIDE_REPORT,
}


def test_the_version_table_is_the_one_written_here():
    assert table_of(VERSION_WORKFLOW) == VERSION_ALLOWED


@pytest.mark.parametrize("source,target", disallowed(V, VERSION_ALLOWED))
def test_disallowed_version_transition_raises_and_writes_nothing(
        source, target, engagement, contractor, city_user):
    # given a submitted version (its PDF only named: the refusal never reads it), put straight
    # into ``source``
    version = ReportVersion.objects.create(
        engagement=engagement, number=1, issued_on=engagement.contract_end,
        pdf="reports/versions/v1.pdf", pdf_sha256="0" * 64, submitted_by=contractor)
    VERSION_WORKFLOW.log_start(version, actor=contractor)
    ReportVersion.objects.filter(pk=version.pk).update(status=source)
    version.refresh_from_db()
    # when the city moves it to ``target``: refused, and nothing is written
    assert_refused_and_nothing_written(VERSION_WORKFLOW, version, target, actor=city_user)
