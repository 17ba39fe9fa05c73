"""The disposal stage's transfer, manifest and reuse-request machines, each against a table
written out here (the item's is in test_services.py).

The allowed pairs and the action each needs are literal constants (never read from the
workflows), so a pair added to or dropped from a table, or a changed action, fails here.
Every other pair of the status choices is refused and writes nothing.
"""

import datetime as dt

import pytest

from disposal.choices import ItemStatus
from disposal.choices import ManifestStatus as M
from disposal.choices import RequestStatus as R
from disposal.choices import TransferStatus as T
from disposal.models import Manifest, ReuseOffer, ReuseRequest, Transfer
from disposal.workflows import MANIFEST_WORKFLOW, REQUEST_WORKFLOW, TRANSFER_WORKFLOW
from engagements.permissions import Action
from tests.transition_tables import assert_refused_and_nothing_written, disallowed, table_of

TRANSFER_ALLOWED = {
    (T.PLANNED, T.CARRIED_OUT): Action.EDIT_DISPOSAL,
    (T.CARRIED_OUT, T.RECEIVED): Action.EDIT_DISPOSAL,
    (T.PLANNED, T.CANCELLED): Action.EDIT_DISPOSAL,
}
MANIFEST_ALLOWED = {
    (M.ISSUED, M.COMPLETED): Action.EDIT_DISPOSAL,
}
REQUEST_ALLOWED = {
    (R.REQUESTED, R.ALLOCATED): Action.ALLOCATE_REUSE,
    (R.DECLINED, R.ALLOCATED): Action.ALLOCATE_REUSE,
    (R.REQUESTED, R.DECLINED): Action.ALLOCATE_REUSE,
    (R.ALLOCATED, R.DECLINED): Action.ALLOCATE_REUSE,
}


def test_the_transfer_table_is_the_one_written_here():
    assert table_of(TRANSFER_WORKFLOW) == TRANSFER_ALLOWED


def test_the_manifest_table_is_the_one_written_here():
    assert table_of(MANIFEST_WORKFLOW) == MANIFEST_ALLOWED


def test_the_request_table_is_the_one_written_here():
    assert table_of(REQUEST_WORKFLOW) == REQUEST_ALLOWED


@pytest.mark.parametrize("source,target", disallowed(T, TRANSFER_ALLOWED))
def test_disallowed_transfer_transition_raises_and_writes_nothing(
        source, target, make_item, make_transfer, contractor):
    # given a transfer with an item, put straight into ``source``
    transfer = make_transfer(items=[make_item(status=ItemStatus.DECIDED)])
    Transfer.objects.filter(pk=transfer.pk).update(status=source)
    transfer.refresh_from_db()
    # when it is moved to ``target``: refused, and nothing is written
    assert_refused_and_nothing_written(TRANSFER_WORKFLOW, transfer, target, actor=contractor)


@pytest.mark.parametrize("source,target", disallowed(M, MANIFEST_ALLOWED))
def test_disallowed_manifest_transition_raises_and_writes_nothing(
        source, target, make_manifest, contractor):
    # given a manifest whose copy E is back, put straight into ``source``
    manifest = make_manifest(e_returned_on=dt.date(2026, 5, 20))
    Manifest.objects.filter(pk=manifest.pk).update(status=source)
    manifest.refresh_from_db()
    # when it is moved to ``target``: refused, and nothing is written
    assert_refused_and_nothing_written(MANIFEST_WORKFLOW, manifest, target, actor=contractor)


@pytest.mark.parametrize("source,target", disallowed(R, REQUEST_ALLOWED))
def test_disallowed_request_transition_raises_and_writes_nothing(
        source, target, engagement, make_item, ward, city_user):
    # given a ward office's request for an offered item, put straight into ``source``
    item = make_item(status=ItemStatus.PROPOSED)
    offer = ReuseOffer.objects.create(
        engagement=engagement, title="照会", circulated_on=dt.date(2026, 9, 1),
        respond_by=dt.date(2026, 9, 18), created_by=city_user)
    offer.items.add(item)
    request = ReuseRequest.objects.create(offer=offer, office=ward, item=item,
                                          recorded_by=city_user)
    ReuseRequest.objects.filter(pk=request.pk).update(status=source)
    request.refresh_from_db()
    # when it is moved to ``target``: refused, and nothing is written
    assert_refused_and_nothing_written(REQUEST_WORKFLOW, request, target, actor=city_user)
