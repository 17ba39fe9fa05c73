"""The procurement stage's status machines, each against a table written out here.

The allowed pairs and the action each needs are literal constants (never read from the
workflows), so a pair added to or dropped from a table, or a changed action, fails here.
Every other pair of the status choices is refused and writes nothing. (The units' refused
pairs are also moved through the service in test_services.py.)
"""

import datetime as dt

import pytest

from engagements.permissions import Action
from procurement.choices import FindingStatus as F
from procurement.choices import OrderStatus as O
from procurement.choices import PositionStatus as P
from procurement.models import Finding, Order
from procurement.workflows import FINDING_WORKFLOW, ORDER_WORKFLOW, POSITION_WORKFLOW
from tests.transition_tables import assert_refused_and_nothing_written, disallowed, table_of

POSITION_ALLOWED = {
    (P.NOT_ORDERED, P.ORDERED): Action.EDIT_PROCUREMENT,
    (P.ORDERED, P.DELIVERED): Action.EDIT_PROCUREMENT,
    (P.DELIVERED, P.INSTALLED): Action.EDIT_PROCUREMENT,
    (P.DELIVERED, P.INSPECTED): Action.INSPECT_DELIVERY,
    (P.INSTALLED, P.INSPECTED): Action.INSPECT_DELIVERY,
}
ORDER_ALLOWED = {
    (O.DRAFT, O.ISSUED): Action.EDIT_PROCUREMENT,
    (O.DRAFT, O.CANCELLED): Action.EDIT_PROCUREMENT,
}
FINDING_ALLOWED = {
    (F.OPEN, F.CORRECTED): Action.EDIT_PROCUREMENT,
    (F.CORRECTED, F.RESOLVED): Action.INSPECT_DELIVERY,
    (F.CORRECTED, F.OPEN): Action.INSPECT_DELIVERY,
}


def test_the_position_table_is_the_one_written_here():
    assert table_of(POSITION_WORKFLOW) == POSITION_ALLOWED


def test_the_order_table_is_the_one_written_here():
    assert table_of(ORDER_WORKFLOW) == ORDER_ALLOWED


def test_the_finding_table_is_the_one_written_here():
    assert table_of(FINDING_WORKFLOW) == FINDING_ALLOWED


@pytest.mark.parametrize("source,target", disallowed(O, ORDER_ALLOWED))
def test_disallowed_order_transition_raises_and_writes_nothing(source, target, engagement,
                                                              contractor):
    # given an order put straight into ``source``
    order = Order.objects.create(engagement=engagement, title="什器", created_by=contractor)
    Order.objects.filter(pk=order.pk).update(status=source)
    order.refresh_from_db()
    # when it is moved to ``target``: refused, and nothing is written
    assert_refused_and_nothing_written(ORDER_WORKFLOW, order, target, actor=contractor)


@pytest.mark.parametrize("source,target", disallowed(F, FINDING_ALLOWED))
def test_disallowed_finding_transition_raises_and_writes_nothing(source, target, engagement,
                                                                position_in, city_user):
    # given a finding on an installed unit, put straight into ``source``
    finding = Finding.objects.create(
        engagement=engagement, position=position_in(P.INSTALLED), text="天板に傷",
        raised_by=city_user, raised_on=dt.date(2026, 10, 21))
    Finding.objects.filter(pk=finding.pk).update(status=source)
    finding.refresh_from_db()
    # when it is moved to ``target``: refused, and nothing is written
    assert_refused_and_nothing_written(FINDING_WORKFLOW, finding, target, actor=city_user)
