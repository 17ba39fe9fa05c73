"""The disposal stage's rules: every transition and every refused one, licences and dates,
manifest deadlines at their boundaries, the offer allocation, the work-list diff and the
reconciliation counts."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from disposal import services
from disposal.choices import ItemStatus, ManifestStatus, Outcome, RequestStatus, TransferStatus
from disposal.deadlines import copy_deadlines
from disposal.models import DisposalItem, DisposalItemStatusChange, Manifest, WasteOperator
from disposal.selectors import reconciliation, stage_progress, work_list_diff
from disposal.workflows import ITEM_WORKFLOW
from engagements.concurrency import StaleEdit

from .conftest import png_upload

S = ItemStatus
# The item's allowed moves, written out in full so that any change shows here.
ALLOWED = {
    (S.NEW, S.PROPOSED), (S.PROPOSED, S.NEW), (S.PROPOSED, S.DECIDED), (S.PROPOSED, S.KEPT),
    (S.DECIDED, S.DECIDED), (S.DECIDED, S.KEPT), (S.KEPT, S.DECIDED),
    (S.DECIDED, S.TRANSFERRED), (S.DECIDED, S.SCRAPPED), (S.DECIDED, S.SOLD),
    (S.NEW, S.WITHDRAWN), (S.PROPOSED, S.WITHDRAWN), (S.DECIDED, S.WITHDRAWN),
    (S.WITHDRAWN, S.NEW),
}
DISALLOWED = sorted(set(itertools.product(S.values, S.values)) - ALLOWED)


def test_the_table_is_the_one_written_here():
    assert set(ITEM_WORKFLOW.transitions) == ALLOWED


@pytest.mark.parametrize("source,target", DISALLOWED)
def test_disallowed_transition_raises_and_writes_nothing(source, target, make_item, city_user):
    item = make_item(status=source)
    with pytest.raises(ValidationError):
        ITEM_WORKFLOW.apply(item, target, actor=city_user, comment="理由")
    item.refresh_from_db()
    assert item.status == source
    assert not item.status_changes.exists()


# --- Propose, decide, return, revise ---------------------------------------------------------
def test_propose_moves_new_to_proposed_and_records_it(item, contractor):
    services.item_propose(item=item, actor=contractor, outcome=Outcome.SCRAP, note="破損")
    item.refresh_from_db()
    assert item.status == S.PROPOSED and item.proposed_outcome == Outcome.SCRAP
    change = item.status_changes.get()
    assert (change.old_status, change.new_status, change.actor) == (S.NEW, S.PROPOSED, contractor)


def test_city_may_not_propose(item, city_user):
    with pytest.raises(PermissionDenied):
        services.item_propose(item=item, actor=city_user, outcome=Outcome.SCRAP)
    assert not item.status_changes.exists()


def test_decide_records_the_unneeded_decision(make_item, city_user):
    item = make_item(status=S.PROPOSED, proposed_outcome=Outcome.SCRAP)
    services.item_decide(item=item, actor=city_user, outcome=Outcome.SCRAP,
                         decided_on=dt.date(2026, 9, 30), document="京地自第1号")
    item.refresh_from_db()
    assert item.status == S.DECIDED and item.outcome == Outcome.SCRAP
    assert (item.decided_on, item.decided_by, item.decision_document) == (
        dt.date(2026, 9, 30), city_user, "京地自第1号")
    assert item.status_changes.get().new_status == S.DECIDED


def test_decide_keep_ends_the_item(make_item, city_user):
    item = make_item(status=S.PROPOSED, proposed_outcome=Outcome.KEEP)
    services.item_decide(item=item, actor=city_user, outcome=Outcome.KEEP, decided_on=None)
    item.refresh_from_db()
    assert item.status == S.KEPT and item.is_final
    assert item.status_changes.get().new_status == S.KEPT


def test_decide_without_date_is_refused_beside_the_field(make_item, city_user):
    item = make_item(status=S.PROPOSED)
    with pytest.raises(ValidationError) as error:
        services.item_decide(item=item, actor=city_user, outcome=Outcome.SALE, decided_on=None)
    assert "decided_on" in error.value.message_dict
    item.refresh_from_db()
    assert item.status == S.PROPOSED and not item.status_changes.exists()


def test_contractor_may_not_decide(make_item, contractor):
    item = make_item(status=S.PROPOSED)
    with pytest.raises(PermissionDenied):
        services.item_decide(item=item, actor=contractor, outcome=Outcome.SCRAP,
                             decided_on=dt.date(2026, 9, 30))
    assert not item.status_changes.exists()


def test_return_needs_a_comment(make_item, city_user):
    item = make_item(status=S.PROPOSED)
    with pytest.raises(ValidationError):
        services.item_return(item=item, actor=city_user, comment=" ")
    assert not item.status_changes.exists()
    services.item_return(item=item, actor=city_user, comment="売却を検討されたい")
    item.refresh_from_db()
    assert item.status == S.NEW
    assert item.status_changes.get().comment == "売却を検討されたい"


def test_city_revises_a_decision_with_a_reason_in_the_history(make_item, city_user):
    item = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    services.item_revise_decision(item=item, actor=city_user, outcome=Outcome.SALE,
                                  decided_on=dt.date(2026, 10, 1), reason="買取業者が見つかった")
    item.refresh_from_db()
    assert item.status == S.DECIDED and item.outcome == Outcome.SALE
    change = item.status_changes.get()
    assert (change.old_status, change.new_status, change.comment) == (
        S.DECIDED, S.DECIDED, "買取業者が見つかった")
    assert item.history.first().history_change_reason == "買取業者が見つかった"


@pytest.mark.parametrize("source,outcome,target", [
    (S.DECIDED, Outcome.KEEP, S.KEPT), (S.KEPT, Outcome.SCRAP, S.DECIDED)])
def test_revise_between_decided_and_kept(source, outcome, target, make_item, city_user):
    item = make_item(status=source)
    services.item_revise_decision(item=item, actor=city_user, outcome=outcome,
                                  decided_on=dt.date(2026, 10, 1), reason="再検討")
    item.refresh_from_db()
    assert item.status == target
    assert item.status_changes.get().new_status == target


def test_revise_without_reason_or_by_contractor_is_refused(make_item, city_user, contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    with pytest.raises(ValidationError):
        services.item_revise_decision(item=item, actor=city_user, outcome=Outcome.SALE,
                                      decided_on=dt.date(2026, 10, 1), reason="")
    with pytest.raises(PermissionDenied):
        services.item_revise_decision(item=item, actor=contractor, outcome=Outcome.SALE,
                                      decided_on=dt.date(2026, 10, 1), reason="x")
    item.refresh_from_db()
    assert item.outcome == Outcome.SCRAP and not item.status_changes.exists()


def test_revise_refused_once_handed_to_a_collector(make_item, make_manifest, city_user):
    item = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    make_manifest(items=[item])
    with pytest.raises(ValidationError):
        services.item_revise_decision(item=item, actor=city_user, outcome=Outcome.KEEP,
                                      decided_on=dt.date(2026, 10, 1), reason="やはり使う")
    item.refresh_from_db()
    assert item.status == S.DECIDED and not item.status_changes.exists()


def test_decided_item_facts_change_only_by_the_city_with_a_reason(make_item, city_user,
                                                                     contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    with pytest.raises(PermissionDenied):
        services.item_update(item=item, actor=contractor, values={"name": "会議椅子"})
    with pytest.raises(ValidationError):
        services.item_update(item=item, actor=city_user, values={"name": "会議椅子"})
    services.item_update(item=item, actor=city_user, values={"name": "会議椅子"},
                         reason="名称の誤り")
    item.refresh_from_db()
    assert item.name == "会議椅子"
    assert item.history.first().history_change_reason == "名称の誤り"


def test_two_people_editing_the_same_item_lose_neither_update(item, contractor):
    opened = item.version
    services.item_update(item=item, actor=contractor, values={"name": "A"}, version=opened)
    with pytest.raises(StaleEdit) as error:
        services.item_update(item=item, actor=contractor, values={"name": "B"}, version=opened)
    assert "A" in str(error.value.messages[0])
    item.refresh_from_db()
    assert item.name == "A"


# --- Transfer ---------------------------------------------------------------------------------
def test_transfer_counts_only_once_the_receipt_is_recorded(make_item, ward, contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)
    transfer = services.transfer_create(engagement=item.engagement, actor=contractor,
                                        items=[item], destination=ward, contact_name="総務課",
                                        planned_on=dt.date(2026, 10, 8))
    with pytest.raises(ValidationError):
        ITEM_WORKFLOW.apply(item, S.TRANSFERRED, actor=contractor)
    transfer = services.transfer_carry_out(transfer=transfer, actor=contractor,
                                           carried_out_on=dt.date(2026, 10, 8),
                                           photo=png_upload())
    item.refresh_from_db()
    assert transfer.status == TransferStatus.CARRIED_OUT and item.status == S.DECIDED
    services.transfer_receive(transfer=transfer, actor=contractor, received_by_name="山田",
                              received_on=dt.date(2026, 10, 9))
    item.refresh_from_db()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.RECEIVED
    assert item.status == S.TRANSFERRED
    assert [c.new_status for c in transfer.status_changes.all()] == [
        TransferStatus.CARRIED_OUT, TransferStatus.RECEIVED]
    assert item.status_changes.get().new_status == S.TRANSFERRED


def test_transfer_to_a_company_is_refused(make_item, company, contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)
    with pytest.raises(ValidationError) as error:
        services.transfer_create(engagement=item.engagement, actor=contractor, items=[item],
                                 destination=company, contact_name="x",
                                 planned_on=dt.date(2026, 10, 8))
    assert "destination" in error.value.message_dict
    item.refresh_from_db()
    assert item.transfer_id is None


def test_receipt_before_carrying_out_is_refused(make_item, make_transfer, contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)
    transfer = make_transfer(items=[item], status=TransferStatus.CARRIED_OUT,
                             carried_out_on=dt.date(2026, 10, 8))
    with pytest.raises(ValidationError):
        services.transfer_receive(transfer=transfer, actor=contractor, received_by_name="山田",
                                  received_on=dt.date(2026, 10, 7))
    transfer.refresh_from_db()
    item.refresh_from_db()
    assert transfer.status == TransferStatus.CARRIED_OUT and item.status == S.DECIDED
    assert not transfer.status_changes.exists() and not item.status_changes.exists()


def test_carry_out_without_photo_is_refused(make_item, make_transfer, contractor):
    transfer = make_transfer(items=[make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)])
    with pytest.raises(ValidationError) as error:
        services.transfer_carry_out(transfer=transfer, actor=contractor,
                                    carried_out_on=dt.date(2026, 10, 8), photo=None)
    assert "photo" in error.value.message_dict
    assert not transfer.status_changes.exists()


# --- Licences and manifests ------------------------------------------------------------------
@pytest.mark.parametrize("excellent,expires,ok", [
    (False, dt.date(2028, 4, 1), True), (False, dt.date(2028, 4, 2), False),
    (True, dt.date(2030, 4, 1), True), (True, dt.date(2030, 4, 2), False)])
def test_licence_runs_five_years_or_seven_for_excellent(excellent, expires, ok, engagement):
    operator = WasteOperator(engagement=engagement, name="x", role="collector",
                             licence_number="1", licence_issuer="京都市長",
                             licence_issued_on=dt.date(2023, 4, 1), licence_expires_on=expires,
                             excellent=excellent)
    if ok:
        operator.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            operator.full_clean()
        assert "licence_expires_on" in error.value.message_dict


@override_settings(OFFICE_REFORM={"WASTE_LICENCE_YEARS": 3})
def test_licence_years_are_a_setting(engagement):
    operator = WasteOperator(engagement=engagement, name="x", role="collector",
                             licence_number="1", licence_issuer="京都市長",
                             licence_issued_on=dt.date(2023, 4, 1),
                             licence_expires_on=dt.date(2027, 4, 1))
    with pytest.raises(ValidationError):
        operator.full_clean()


@pytest.mark.parametrize("collected_on,ok", [
    (dt.date(2028, 3, 31), True), (dt.date(2028, 4, 1), False)])
def test_licence_expired_on_the_collection_date_is_refused(collected_on, ok, make_item,
                                                           collector, disposer, contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    call = dict(engagement=item.engagement, actor=contractor, items=[item], number="A-1",
                issued_on=dt.date(2026, 4, 1), form="paper", collector=collector,
                disposer=disposer, collected_on=collected_on)
    if ok:
        services.manifest_create(**call)
        item.refresh_from_db()
        assert item.manifest.number == "A-1"
    else:
        with pytest.raises(ValidationError) as error:
            services.manifest_create(**call)
        assert "collector" in error.value.message_dict
        assert not Manifest.objects.exists()
        item.refresh_from_db()
        assert item.manifest_id is None


def test_a_manifest_number_typed_full_width_is_stored_half_width(make_item, collector,
                                                                 disposer, contractor):
    # given a manifest number typed with full-width letters and digits
    item = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    # when the manifest is recorded
    services.manifest_create(engagement=item.engagement, actor=contractor, items=[item],
                             number=" Ａ－１２３ ", issued_on=dt.date(2026, 4, 1),
                             form="paper", collector=collector, disposer=disposer,
                             collected_on=dt.date(2026, 4, 1))
    # then it is stored as the same number in half-width, as the register is searched
    item.refresh_from_db()
    assert item.manifest.number == "A-123"


def test_e_date_before_issue_is_refused_and_nothing_written(make_item, make_manifest,
                                                           contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    manifest = make_manifest(items=[item])
    with pytest.raises(ValidationError) as error:
        services.manifest_record_returns(
            manifest=manifest, actor=contractor, b2_returned_on=dt.date(2026, 4, 10),
            d_returned_on=dt.date(2026, 5, 1), e_returned_on=dt.date(2026, 3, 1))
    assert "e_returned_on" in error.value.message_dict
    manifest.refresh_from_db()
    item.refresh_from_db()
    assert manifest.b2_returned_on is None and manifest.status == ManifestStatus.ISSUED
    assert item.status == S.DECIDED and not item.status_changes.exists()


def test_items_are_scrapped_only_when_e_is_back(make_item, make_manifest, contractor):
    items = [make_item(status=S.DECIDED, outcome=Outcome.SCRAP) for _ in range(2)]
    manifest = make_manifest(items=items)
    services.manifest_record_returns(manifest=manifest, actor=contractor,
                                     b2_returned_on=dt.date(2026, 4, 10),
                                     d_returned_on=dt.date(2026, 5, 1), e_returned_on=None)
    assert {i.status for i in DisposalItem.objects.all()} == {S.DECIDED}
    manifest.refresh_from_db()
    services.manifest_record_returns(manifest=manifest, actor=contractor,
                                     b2_returned_on=dt.date(2026, 4, 10),
                                     d_returned_on=dt.date(2026, 5, 1),
                                     e_returned_on=dt.date(2026, 6, 1))
    manifest.refresh_from_db()
    assert manifest.status == ManifestStatus.COMPLETED
    assert manifest.status_changes.get().new_status == ManifestStatus.COMPLETED
    assert {i.status for i in DisposalItem.objects.all()} == {S.SCRAPPED}
    assert DisposalItemStatusChange.objects.filter(new_status=S.SCRAPPED).count() == 2


def test_manifest_needs_decided_scrap_items(make_item, collector, disposer, contractor):
    item = make_item(status=S.PROPOSED)
    with pytest.raises(ValidationError) as error:
        services.manifest_create(engagement=item.engagement, actor=contractor, items=[item],
                                 number="A-1", issued_on=dt.date(2026, 4, 1), form="paper",
                                 collector=collector, disposer=disposer,
                                 collected_on=dt.date(2026, 4, 1))
    assert "items" in error.value.message_dict
    assert not Manifest.objects.exists()


# --- Deadlines at their boundaries ------------------------------------------------------------
@pytest.mark.parametrize("today,copy,days_left,overdue", [
    (dt.date(2026, 6, 30), "B2", 0, False),   # the 90th day after 1 April
    (dt.date(2026, 7, 1), "B2", -1, True),
    (dt.date(2026, 6, 30), "D", 0, False),
    (dt.date(2026, 7, 1), "D", -1, True),
    (dt.date(2026, 9, 28), "E", 0, False),    # the 180th day
    (dt.date(2026, 9, 29), "E", -1, True),
])
def test_manifest_deadlines_at_their_boundaries(today, copy, days_left, overdue):
    manifest = Manifest(issued_on=dt.date(2026, 4, 1))
    row = {d.copy: d for d in copy_deadlines(manifest, today)}[copy]
    assert row.days_left == days_left
    assert row.overdue is overdue
    assert row.report_due == row.due + dt.timedelta(days=30)


def test_a_copy_back_is_never_overdue():
    manifest = Manifest(issued_on=dt.date(2026, 4, 1), b2_returned_on=dt.date(2026, 7, 2))
    b2 = copy_deadlines(manifest, dt.date(2026, 12, 1))[0]
    assert not b2.overdue and b2.late and b2.days_left is None


@override_settings(OFFICE_REFORM={"MANIFEST_B2_D_DAYS": 60, "MANIFEST_E_DAYS": 120,
                                  "MANIFEST_REPORT_DAYS": 10})
def test_deadline_days_are_settings():
    b2, d, e = copy_deadlines(Manifest(issued_on=dt.date(2026, 4, 1)), dt.date(2026, 4, 1))
    assert b2.due == dt.date(2026, 5, 31) and e.due == dt.date(2026, 7, 30)
    assert b2.report_due == dt.date(2026, 6, 10)


def test_overdue_copy_shows_on_the_dashboard_progress(make_item, make_manifest, engagement):
    make_manifest(items=[make_item(status=S.DECIDED, outcome=Outcome.SCRAP)],
                  issued_on=dt.date(2025, 1, 1))
    assert "30" in stage_progress(engagement).summary


# --- Waste class, weight, sale ---------------------------------------------------------------
def test_another_waste_class_needs_a_reason(make_item, contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    with pytest.raises(ValidationError) as error:
        services.item_record_waste(item=item, actor=contractor, waste_class="general",
                                   weight_kg=Decimal("12"), weighed=False)
    assert "reason" in error.value.message_dict
    services.item_record_waste(item=item, actor=contractor, waste_class="general",
                               weight_kg=Decimal("12"), weighed=True, reason="天板が木製")
    item.refresh_from_db()
    assert item.waste_class == "general" and item.weight_kg == Decimal("12")


def test_negative_weight_is_refused(make_item, contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    with pytest.raises(ValidationError):
        services.item_record_waste(item=item, actor=contractor, waste_class="metal",
                                   weight_kg=Decimal("-1"), weighed=False)
    item.refresh_from_db()
    assert item.weight_kg is None


def test_sale_moves_the_item_to_sold(make_item, contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.SALE)
    services.item_record_sale(item=item, actor=contractor, buyer="リユース商会",
                              price_yen=3000, sold_on=dt.date(2026, 10, 1))
    item.refresh_from_db()
    assert item.status == S.SOLD and item.sale_price_yen == 3000
    assert item.status_changes.get().new_status == S.SOLD


def test_sale_of_an_item_decided_for_scrap_is_refused(make_item, contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    with pytest.raises(ValidationError):
        services.item_record_sale(item=item, actor=contractor, buyer="x", price_yen=1,
                                  sold_on=dt.date(2026, 10, 1))
    item.refresh_from_db()
    assert item.status == S.DECIDED and item.buyer == ""


# --- Offer to the ward offices -----------------------------------------------------------------
def test_offer_with_two_offices_for_one_item_is_allocated_by_the_city(
        make_item, ward, ward2, city_user, contractor):
    item = make_item(status=S.PROPOSED, proposed_outcome=Outcome.SCRAP)
    offer = services.offer_create(engagement=item.engagement, actor=city_user, title="照会",
                                  circulated_on=dt.date(2026, 9, 1),
                                  respond_by=dt.date(2026, 9, 18), items=[item])
    first = services.request_record(offer=offer, actor=city_user, office=ward, item=item)
    second = services.request_record(offer=offer, actor=city_user, office=ward2, item=item)
    with pytest.raises(PermissionDenied):
        services.offer_allocate(offer=offer, actor=contractor, item=item, request=second)
    services.offer_allocate(offer=offer, actor=city_user, item=item, request=second)
    first.refresh_from_db()
    second.refresh_from_db()
    item.refresh_from_db()
    assert (first.status, second.status) == (RequestStatus.DECLINED, RequestStatus.ALLOCATED)
    assert item.allocated_to == ward2 and item.proposed_outcome == Outcome.TRANSFER


def test_request_from_a_company_or_for_too_many_is_refused(make_item, ward, company,
                                                           city_user):
    item = make_item(status=S.PROPOSED)
    offer = services.offer_create(engagement=item.engagement, actor=city_user, title="照会",
                                  circulated_on=dt.date(2026, 9, 1),
                                  respond_by=dt.date(2026, 9, 18), items=[item])
    with pytest.raises(ValidationError) as error:
        services.request_record(offer=offer, actor=city_user, office=company, item=item)
    assert "office" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.request_record(offer=offer, actor=city_user, office=ward, item=item,
                                quantity=5)
    assert "quantity" in error.value.message_dict
    assert not offer.requests.exists()


# --- The approved work list and its changes ----------------------------------------------------
@pytest.fixture
def approved_list(engagement):
    from proposals.choices import AlternativeStatus, WorkListKind
    from proposals.models import Alternative, Proposal, WorkListItem
    from survey.models import Desk, Floor

    floor = Floor.objects.create(engagement=engagement, name="3階", width_mm=18000,
                                 depth_mm=11000)
    desks = [Desk.objects.create(engagement=engagement, floor=floor, number=f"0{n}",
                                 width_mm=1200, depth_mm=700, year=2010) for n in (1, 2, 3)]
    proposal = Proposal.objects.create(engagement=engagement, title="提案")
    alternative = Alternative.objects.create(proposal=proposal, label="案A",
                                             status=AlternativeStatus.APPROVED)

    def set_removed(*numbers):
        WorkListItem.objects.filter(alternative=alternative).delete()
        for desk in desks:
            if desk.number in numbers:
                WorkListItem.objects.create(alternative=alternative, kind=WorkListKind.DISPOSE,
                                            desk=desk, description=f"机 {desk.number}")

    return set_removed


def test_sync_creates_items_and_handles_appeared_and_disappeared(approved_list, engagement,
                                                                 contractor, make_manifest):
    approved_list("01", "02", "03")
    services.items_sync(engagement=engagement, actor=contractor)
    items = {i.number: i for i in DisposalItem.objects.all()}
    assert set(items) == {"01", "02", "03"}
    assert items["01"].year == 2010 and items["01"].size == "W1200×D700"
    # 03 is already with a collector: it is never dropped.
    DisposalItem.objects.filter(number="03").update(status=S.DECIDED, outcome=Outcome.SCRAP)
    make_manifest(items=[DisposalItem.objects.get(number="03")])
    approved_list("01")
    diff = work_list_diff(engagement)
    assert {i.number for i in diff["disappeared"]} == {"02", "03"}
    services.items_sync(engagement=engagement, actor=contractor)
    assert DisposalItem.objects.get(number="02").status == S.WITHDRAWN
    kept = DisposalItem.objects.get(number="03")
    assert kept.status == S.DECIDED and kept.on_work_list is False
    approved_list("01", "02")
    services.items_sync(engagement=engagement, actor=contractor)
    assert DisposalItem.objects.get(number="02").status == S.NEW
    assert DisposalItem.objects.count() == 3


def test_sync_is_the_contractors(approved_list, engagement, city_user):
    approved_list("01")
    with pytest.raises(PermissionDenied):
        services.items_sync(engagement=engagement, actor=city_user)
    assert not DisposalItem.objects.exists()


# --- Reconciliation --------------------------------------------------------------------------
def test_reconciliation_counts_what_is_still_open(make_item, make_manifest, make_transfer,
                                                  engagement):
    make_item(status=S.NEW)
    make_item(status=S.PROPOSED)
    make_transfer(items=[make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)])
    make_manifest(items=[make_item(status=S.DECIDED, outcome=Outcome.SCRAP)])
    make_item(status=S.DECIDED, outcome=Outcome.SALE)
    make_item(status=S.SCRAPPED, outcome=Outcome.SCRAP)
    make_item(status=S.KEPT, outcome=Outcome.KEEP)
    make_item(status=S.WITHDRAWN)
    rec = reconciliation(engagement)
    assert (rec["active_count"], rec["final_count"], rec["open_count"]) == (7, 2, 5)
    assert len(rec["no_decision"]) == 2 and len(rec["no_receipt"]) == 1
    assert len(rec["manifest_open"]) == 1 and len(rec["sale_open"]) == 1
    counts = {row["outcome"]: (row["count"], row["done"]) for row in rec["counts"]}
    assert counts[Outcome.SCRAP] == (2, 1) and counts[Outcome.KEEP] == (1, 1)
    assert counts[""] == (2, 0)
    assert rec["complete"] is False
    assert stage_progress(engagement).percent == round(100 * 2 / 7)


def test_stage_complete_only_when_every_item_is_final(make_item, engagement):
    make_item(status=S.KEPT, outcome=Outcome.KEEP)
    make_item(status=S.SOLD, outcome=Outcome.SALE)
    make_item(status=S.WITHDRAWN)
    assert reconciliation(engagement)["complete"] is True
    assert stage_progress(engagement).percent == 100
