"""The action items' status machine against a table written out here (the minutes' and the
approval requests' are in test_services.py).

The allowed pairs and the action each needs are literal constants (never read from the
workflow), so a pair added to or dropped from the table, or a changed action, fails here.
Every other pair of the status choices is refused and writes nothing.
"""

import pytest

from engagements.permissions import Action
from meetings.choices import ActionItemStatus as A
from meetings.models import ActionItem
from meetings.workflows import ACTION_ITEM_WORKFLOW
from tests.transition_tables import assert_refused_and_nothing_written, disallowed, table_of

# Follow-up may be done, cancelled or reopened at any time: every move but staying put.
ACTION_ITEM_ALLOWED = {
    (A.OPEN, A.DONE): Action.WRITE_MINUTES,
    (A.OPEN, A.CANCELLED): Action.WRITE_MINUTES,
    (A.DONE, A.OPEN): Action.WRITE_MINUTES,
    (A.DONE, A.CANCELLED): Action.WRITE_MINUTES,
    (A.CANCELLED, A.OPEN): Action.WRITE_MINUTES,
    (A.CANCELLED, A.DONE): Action.WRITE_MINUTES,
}


def test_the_action_item_table_is_the_one_written_here():
    assert table_of(ACTION_ITEM_WORKFLOW) == ACTION_ITEM_ALLOWED


def test_the_refused_pairs_are_the_three_that_stay_put():
    assert disallowed(A, ACTION_ITEM_ALLOWED) == sorted((s, s) for s in A.values)


@pytest.mark.parametrize("source,target", disallowed(A, ACTION_ITEM_ALLOWED))
def test_disallowed_action_item_transition_raises_and_writes_nothing(
        source, target, minutes, contractor):
    # given an action item of the minutes, put straight into ``source``
    item = ActionItem.objects.create(minutes=minutes, description="日程表", owner=contractor)
    ActionItem.objects.filter(pk=item.pk).update(status=source)
    item.refresh_from_db()
    # when it is moved to ``target``: refused, and nothing is written
    assert_refused_and_nothing_written(ACTION_ITEM_WORKFLOW, item, target, actor=contractor)
