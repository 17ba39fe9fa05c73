"""Services of the procurement stage: every transition, and every refused one writes nothing."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from engagements.concurrency import StaleEdit
from meetings.choices import ApprovalKind, ApprovalStatus, WorkItem
from meetings.models import ApprovalRequest
from procurement import selectors, services
from procurement.choices import FindingStatus, OrderStatus, PositionStatus
from procurement.models import (
    Connection,
    Finding,
    FindingStatusChange,
    InstallationDay,
    Order,
    OrderStatusChange,
    PlanLine,
    Position,
    PositionStatusChange,
    ProcurementPlan,
    Quote,
)
from proposals.choices import AlternativeStatus, WorkListKind
from proposals.models import Alternative, WorkListItem

P = PositionStatus

# The allowed moves of a unit, written out (not read from the production table).
ALLOWED = [
    (P.NOT_ORDERED, P.ORDERED),
    (P.ORDERED, P.DELIVERED),
    (P.DELIVERED, P.INSTALLED),
    (P.DELIVERED, P.INSPECTED),
    (P.INSTALLED, P.INSPECTED),
]
DISALLOWED = [
    (P.NOT_ORDERED, P.NOT_ORDERED), (P.NOT_ORDERED, P.DELIVERED),
    (P.NOT_ORDERED, P.INSTALLED), (P.NOT_ORDERED, P.INSPECTED),
    (P.ORDERED, P.NOT_ORDERED), (P.ORDERED, P.ORDERED), (P.ORDERED, P.INSTALLED),
    (P.ORDERED, P.INSPECTED),
    (P.DELIVERED, P.NOT_ORDERED), (P.DELIVERED, P.ORDERED), (P.DELIVERED, P.DELIVERED),
    (P.INSTALLED, P.NOT_ORDERED), (P.INSTALLED, P.ORDERED), (P.INSTALLED, P.DELIVERED),
    (P.INSTALLED, P.INSTALLED),
    (P.INSPECTED, P.NOT_ORDERED), (P.INSPECTED, P.ORDERED), (P.INSPECTED, P.DELIVERED),
    (P.INSPECTED, P.INSTALLED), (P.INSPECTED, P.INSPECTED),
]


def actor_for(target, city_user, contractor):
    return city_user if target == P.INSPECTED else contractor


def png_file(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- The plan ---------------------------------------------------------------------------------


def test_plan_start_copies_the_approved_work_list_and_positions(plan, approved, lines):
    # then one line per catalogue item with the proposal's price, and a position per unit
    assert {kind: line.quantity for kind, line in lines.items()} == {
        "desk": 2, "booth": 1, "locker": 2}
    assert lines["desk"].budget_unit_price_yen == 58_000
    assert plan.alternative == approved
    positions = Position.objects.filter(plan=plan)
    assert positions.exclude(line=None).count() == 5
    assert set(positions.exclude(line=None).values_list("status", flat=True)) == {P.NOT_ORDERED}
    kept = positions.get(line=None)
    assert (kept.label, kept.required_phone, kept.monitor_count) == ("K1", 1, 2)
    # and nothing in proposals changed
    assert WorkListItem.objects.filter(kind=WorkListKind.PROCURE).count() == 3


def test_plan_start_twice_or_without_approval_is_refused(plan, engagement, contractor,
                                                         make_engagement, make_member):
    with pytest.raises(ValidationError, match="すでに開始"):
        services.plan_start(engagement=engagement, actor=contractor)
    other = make_engagement("別件")
    member = make_member(other, "contractor", "c2")
    with pytest.raises(ValidationError, match="承認された案がまだない"):
        services.plan_start(engagement=other, actor=member)
    assert not ProcurementPlan.objects.filter(engagement=other).exists()


def test_city_cannot_start_procurement(approved, engagement, city_user):
    with pytest.raises(PermissionDenied):
        services.plan_start(engagement=engagement, actor=city_user)
    assert not ProcurementPlan.objects.exists()


def test_a_changed_approval_shows_a_diff_and_adoption_keeps_ordered_units(
        plan, lines, approved, make_order, contractor, city_user, catalogue, floor):
    # given one desk ordered, then the approval moves to 案B with no desks and one more booth
    make_order({lines["desk"]: 1})
    proposal = approved.proposal
    Alternative.objects.filter(pk=approved.pk).update(status=AlternativeStatus.RETURNED)
    from proposals import services as proposal_services

    from .conftest import add_items

    plan_b = proposal_services.alternative_create(proposal=proposal, label="案B",
                                                  actor=contractor)
    plan_b.items.filter(action="new").delete()
    add_items(plan_b, floor, [(catalogue["booth"], 1000, 4000), (catalogue["booth"], 2200, 4000)])
    proposal_services.alternative_submit(alternative=plan_b, actor=contractor)
    proposal_services.alternative_approve(alternative=plan_b, actor=city_user)
    # when the diff is read
    diff = selectors.plan_diff(plan)
    assert diff.changed
    rows = {row.description: row for row in diff.rows}
    desk = rows[str(lines["desk"])]
    assert (desk.planned, desk.approved, desk.ordered, desk.kept_because_ordered) == (2, 0, 1, True)
    # then adopting keeps the ordered desk and follows 案B for the rest
    services.plan_adopt_changes(plan=plan, actor=contractor)
    plan.refresh_from_db()
    assert plan.alternative == plan_b
    quantities = {line.catalogue_item.kind: line.quantity for line in plan.lines.all()}
    assert quantities == {"desk": 1, "booth": 2}
    assert Position.objects.filter(line__catalogue_item__kind="desk").get().status == P.ORDERED
    assert Position.objects.filter(line__catalogue_item__kind="booth").count() == 2
    assert not selectors.plan_diff(plan).changed


def test_budget_is_the_citys_and_a_stale_form_loses_nothing(plan, city_user, contractor):
    with pytest.raises(PermissionDenied):
        services.plan_budget_set(plan=plan, budget_yen=1, actor=contractor)
    services.plan_budget_set(plan=plan, budget_yen=2_000_000, version=plan.version,
                             actor=city_user)
    # a second form opened at the old version is refused and shows the current value
    with pytest.raises(StaleEdit, match="2000000"):
        services.plan_budget_set(plan=plan, budget_yen=1_500_000, version=plan.version,
                                 actor=city_user)
    plan.refresh_from_db()
    assert plan.budget_yen == 2_000_000
    assert plan.history.count() == 2


def test_overview_warns_when_the_ordered_total_exceeds_the_budget(plan, lines, make_order,
                                                                  city_user):
    services.plan_budget_set(plan=plan, budget_yen=100_000, actor=city_user)
    make_order({lines["desk"]: 2}, factors=(100, 90))
    plan.refresh_from_db()
    overview = selectors.plan_overview(plan)
    # 2 × 52,200 = 104,400 + tax 10,440
    assert overview.ordered_yen == 114_840
    assert overview.over_budget and overview.remaining_yen == -14_840


# --- Unit transitions -------------------------------------------------------------------------


@pytest.mark.parametrize("source,target", ALLOWED)
def test_allowed_transition_moves_the_unit_and_records_one_row(source, target, position_in,
                                                              city_user, contractor):
    position = position_in(source)
    services.position_transition(position=position, target=target,
                                 actor=actor_for(target, city_user, contractor))
    position.refresh_from_db()
    assert position.status == target
    change = PositionStatusChange.objects.get(position=position)
    assert (change.old_status, change.new_status) == (source, target)


@pytest.mark.parametrize("source,target", DISALLOWED)
def test_disallowed_transition_raises_and_writes_nothing(source, target, position_in,
                                                        city_user, contractor):
    position = position_in(source)
    history = position.history.count()
    with pytest.raises(ValidationError):
        services.position_transition(position=position, target=target,
                                     actor=actor_for(target, city_user, contractor))
    position.refresh_from_db()
    assert position.status == source
    assert not PositionStatusChange.objects.filter(position=position).exists()
    assert position.history.count() == history


@pytest.mark.parametrize("source,target", [(P.DELIVERED, P.INSPECTED),
                                           (P.INSTALLED, P.INSPECTED)])
def test_only_the_city_inspects(source, target, position_in, contractor):
    position = position_in(source)
    with pytest.raises(PermissionDenied):
        services.position_transition(position=position, target=target, actor=contractor)
    assert not PositionStatusChange.objects.filter(position=position).exists()


@pytest.mark.parametrize("target", [P.ORDERED, P.DELIVERED, P.INSTALLED])
def test_the_city_does_not_record_the_contractors_steps(target, position_in, city_user):
    source = {P.ORDERED: P.NOT_ORDERED, P.DELIVERED: P.ORDERED, P.INSTALLED: P.DELIVERED}
    position = position_in(source[target])
    with pytest.raises(PermissionDenied):
        services.position_transition(position=position, target=target, actor=city_user)
    assert not PositionStatusChange.objects.filter(position=position).exists()


def test_issuing_an_order_marks_its_units_ordered(plan, lines, make_order):
    order = make_order({lines["desk"]: 1, lines["locker"]: 2})
    assert order.status == OrderStatus.ISSUED
    assert OrderStatusChange.objects.get(order=order).new_status == OrderStatus.ISSUED
    counts = {kind: Position.objects.filter(line=line, status=P.ORDERED).count()
              for kind, line in lines.items()}
    assert counts == {"desk": 1, "booth": 0, "locker": 2}
    assert PositionStatusChange.objects.filter(new_status=P.ORDERED).count() == 3


def test_partial_delivery_and_more_than_ordered_is_refused(plan, lines, make_order,
                                                          contractor):
    make_order({lines["locker"]: 2})
    # 1 of 2 delivered
    services.line_transition(line=lines["locker"], target=P.DELIVERED, quantity=1,
                             actor=contractor)
    assert selectors.plan_overview(plan).rows[-1].counts == {P.ORDERED: 1, P.DELIVERED: 1}
    # 2 more than the 1 still ordered: refused, nothing written
    rows = PositionStatusChange.objects.count()
    with pytest.raises(ValidationError, match="発注済は1"):
        services.line_transition(line=lines["locker"], target=P.DELIVERED, quantity=2,
                                 actor=contractor)
    assert PositionStatusChange.objects.count() == rows
    with pytest.raises(ValidationError):
        services.line_transition(line=lines["locker"], target=P.DELIVERED, quantity=0,
                                 actor=contractor)


def test_tall_storage_is_installed_only_once_anchored(plan, lines, make_order, contractor):
    services.line_update(line=lines["locker"], height_mm=1800, actor=contractor)
    make_order({lines["locker"]: 1})
    services.line_transition(line=lines["locker"], target=P.DELIVERED, quantity=1,
                             actor=contractor)
    position = Position.objects.get(line=lines["locker"], status=P.DELIVERED)
    with pytest.raises(ValidationError, match="転倒防止"):
        services.position_transition(position=position, target=P.INSTALLED, actor=contractor)
    position.refresh_from_db()
    assert position.status == P.DELIVERED
    services.position_confirm_anchoring(position=position, actor=contractor)
    services.position_transition(position=position, target=P.INSTALLED, actor=contractor)
    position.refresh_from_db()
    assert (position.status, position.anchored) == (P.INSTALLED, True)


def test_storage_below_the_height_needs_no_anchoring(plan, lines, make_order, contractor):
    services.line_update(line=lines["locker"], height_mm=1199, actor=contractor)
    make_order({lines["locker"]: 1})
    services.line_transition(line=lines["locker"], target=P.DELIVERED, quantity=1,
                             actor=contractor)
    services.line_transition(line=lines["locker"], target=P.INSTALLED, quantity=1,
                             actor=contractor)
    assert Position.objects.filter(line=lines["locker"], status=P.INSTALLED).count() == 1


# --- Tablet bulk update -----------------------------------------------------------------------


def test_bulk_update_moves_every_ticked_position(plan, lines, make_order, engagement,
                                                 contractor):
    make_order({lines["desk"]: 2, lines["booth"]: 1})
    ids = list(Position.objects.filter(status=P.ORDERED).values_list("pk", flat=True))
    done = services.positions_update(engagement=engagement, position_ids=ids,
                                     target=P.DELIVERED, actor=contractor)
    assert len(done) == 3
    assert Position.objects.filter(status=P.DELIVERED).count() == 3


def test_bulk_update_is_all_or_none_and_names_the_refused(plan, lines, make_order, engagement,
                                                          contractor):
    # given two desks ordered and the booth still not ordered
    make_order({lines["desk"]: 2})
    ordered = list(Position.objects.filter(status=P.ORDERED).order_by("label"))
    booth = Position.objects.get(line=lines["booth"])
    rows = PositionStatusChange.objects.count()
    # when all three are marked delivered
    with pytest.raises(ValidationError) as caught:
        services.positions_update(engagement=engagement, target=P.DELIVERED, actor=contractor,
                                  position_ids=[p.pk for p in ordered] + [booth.pk])
    # then none changed, and the booth is named
    assert len(caught.value.messages) == 1
    assert caught.value.messages[0].startswith(f"{booth.label}:")
    assert Position.objects.filter(status=P.DELIVERED).count() == 0
    assert PositionStatusChange.objects.count() == rows


def test_bulk_update_refuses_positions_of_another_engagement(plan, lines, engagement,
                                                             contractor, make_order):
    make_order({lines["desk"]: 1})
    with pytest.raises(ValidationError):
        services.positions_update(engagement=engagement, target=P.DELIVERED, actor=contractor,
                                  position_ids=[999_999])


def _tall_lockers_delivered(lines, make_order, contractor, quantity):
    services.line_update(line=lines["locker"], height_mm=1800, actor=contractor)
    make_order({lines["locker"]: quantity})
    services.line_transition(line=lines["locker"], target=P.DELIVERED, quantity=quantity,
                             actor=contractor)
    return list(Position.objects.filter(line=lines["locker"], status=P.DELIVERED)
                .order_by("label", "pk"))


def test_tablet_install_writes_the_anchoring_with_history_and_version(
        plan, lines, make_order, engagement, contractor):
    # given a delivered locker of 1,800 mm, its requirements form open at this version
    [locker] = _tall_lockers_delivered(lines, make_order, contractor, 1)
    opened = locker.version
    history = locker.history.count()
    # when it is installed on the tablet with its anchoring ticked
    services.positions_update(engagement=engagement, position_ids=[locker.pk],
                              target=P.INSTALLED, anchored_ids=[locker.pk], actor=contractor)
    # then the one save wrote the status and the anchoring, in one history row by the actor
    locker.refresh_from_db()
    assert (locker.status, locker.anchored) == (P.INSTALLED, True)
    assert locker.history.count() == history + 1
    row = locker.history.latest()
    assert row.history_user == contractor
    changes = {c.field: (c.old, c.new) for c in row.diff_against(row.prev_record).changes}
    assert changes["anchored"] == (False, True)
    assert changes["status"] == (P.DELIVERED, P.INSTALLED)
    # and the version moved on: the form opened before is stale
    assert locker.version > opened
    with pytest.raises(StaleEdit):
        services.position_requirements_update(position=locker, values={"pc_count": 1},
                                              version=opened, actor=contractor)


def test_refused_tablet_install_writes_no_anchoring(plan, lines, make_order, engagement,
                                                   contractor):
    # given two delivered lockers of 1,800 mm
    ticked, unticked = _tall_lockers_delivered(lines, make_order, contractor, 2)
    versions = {p.pk: p.version for p in (ticked, unticked)}
    history = {p.pk: p.history.count() for p in (ticked, unticked)}
    rows = PositionStatusChange.objects.count()
    # when both are installed but the anchoring of only one is ticked
    with pytest.raises(ValidationError) as caught:
        services.positions_update(engagement=engagement, target=P.INSTALLED, actor=contractor,
                                  position_ids=[ticked.pk, unticked.pk],
                                  anchored_ids=[ticked.pk])
    # then the unticked one is named, and nothing is written, not even the ticked anchoring
    assert len(caught.value.messages) == 1
    assert caught.value.messages[0].startswith(f"{unticked.label}:")
    assert "転倒防止" in caught.value.messages[0]
    for position in (ticked, unticked):
        position.refresh_from_db()
        assert (position.status, position.anchored) == (P.DELIVERED, False)
        assert position.version == versions[position.pk]
        assert position.history.count() == history[position.pk]
    assert PositionStatusChange.objects.count() == rows


# --- Quotes and orders ------------------------------------------------------------------------


def test_quote_with_tax_included_is_stored_without_tax(plan, lines, make_order, suppliers,
                                                       contractor):
    order = make_order({lines["desk"]: 2}, factors=(100,), issue=False)
    quote = services.quote_create(
        order=order, supplier=suppliers[1], quoted_on=dt.date(2026, 10, 2), valid_until=None,
        tax_included=True, prices={order.lines.get().pk: 11_000}, actor=contractor)
    assert quote.lines.get().unit_price_yen == 10_000
    column = next(c for c in selectors.order_comparison(order).columns if c.quote == quote)
    assert (column.subtotal_yen, column.tax_yen, column.total_yen) == (20_000, 2_000, 22_000)


def test_tax_is_rounded_down_per_quote_total(plan, lines, make_order, suppliers, contractor):
    order = make_order({lines["desk"]: 1}, factors=(100,), issue=False)
    quote = services.quote_create(
        order=order, supplier=suppliers[1], quoted_on=dt.date(2026, 10, 2), valid_until=None,
        tax_included=False, prices={order.lines.get().pk: 12_345}, actor=contractor)
    column = next(c for c in selectors.order_comparison(order).columns if c.quote == quote)
    assert (column.tax_yen, column.total_yen) == (1_234, 13_579)


def test_comparison_marks_the_lowest_per_line_and_total(plan, lines, make_order):
    order = make_order({lines["desk"]: 2, lines["booth"]: 1}, factors=(100, 95, 98),
                       issue=False)
    comparison = selectors.order_comparison(order)
    assert [row.lowest for row in comparison.rows] == [399_000, 55_100]  # booth first
    assert comparison.lowest_total == comparison.columns[1].total_yen
    assert comparison.required == 2  # 509,200 with tax is below 1,000,000


def test_choosing_a_higher_quote_needs_a_reason(plan, lines, make_order, contractor):
    order = make_order({lines["desk"]: 1}, factors=(100, 95), issue=False)
    higher = order.quotes_made[0]
    with pytest.raises(ValidationError, match="最低価格ではありません"):
        services.order_choose_quote(order=order, quote=higher, reason=" ", actor=contractor)
    order.refresh_from_db()
    assert order.chosen_quote is None
    services.order_choose_quote(order=order, quote=higher, reason="納期が早いため",
                                actor=contractor)
    order.refresh_from_db()
    assert (order.chosen_quote, order.choice_reason) == (higher, "納期が早いため")


def test_fewer_quotes_than_required_needs_a_reason(plan, lines, make_order, contractor):
    # the booth and two desks come to more than 1,000,000 with tax: three quotes required
    order = make_order({lines["booth"]: 1, lines["desk"]: 2}, factors=(200, 190), issue=False)
    comparison = selectors.order_comparison(order)
    assert comparison.required == 3
    with pytest.raises(ValidationError, match="3者の見積が必要"):
        services.order_choose_quote(order=order, quote=order.quotes_made[1], actor=contractor)
    services.order_choose_quote(order=order, quote=order.quotes_made[1],
                                reason="取扱業者が2者のみ", actor=contractor)


def test_a_quote_file_must_be_a_pdf_or_an_image(plan, lines, make_order, suppliers,
                                                contractor):
    order = make_order({lines["desk"]: 1}, factors=(100,), issue=False)
    fake = SimpleUploadedFile("quote.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.quote_create(order=order, supplier=suppliers[1], quoted_on=dt.date(2026, 10, 2),
                              valid_until=None, tax_included=False, file=fake,
                              prices={order.lines.get().pk: 1}, actor=contractor)
    assert "file" in caught.value.error_dict
    assert Quote.objects.filter(order=order).count() == 1


def test_order_numbers_are_unique_in_the_engagement(plan, lines, make_order, contractor):
    make_order({lines["desk"]: 1}, number="R8-001")
    second = make_order({lines["booth"]: 1}, issue=False)
    services.order_choose_quote(order=second, quote=second.quotes_made[1], actor=contractor)
    with pytest.raises(ValidationError, match="R8-001"):
        services.order_issue(order=second, number="R8-001", ordered_on=dt.date(2026, 10, 5),
                             delivery_due=dt.date(2026, 10, 20), delivery_place="3階",
                             actor=contractor)
    second.refresh_from_db()
    assert second.status == OrderStatus.DRAFT
    assert Position.objects.filter(line=lines["booth"], status=P.ORDERED).count() == 0


def test_order_quantities_cannot_exceed_the_plan(plan, lines, engagement, contractor):
    with pytest.raises(ValidationError) as caught:
        services.order_create(engagement=engagement, title="x", actor=contractor,
                              quantities={lines["desk"].pk: 3})
    assert f"qty_{lines['desk'].pk}" in caught.value.error_dict
    assert not Order.objects.exists()


def test_order_cancel_needs_a_comment(plan, lines, make_order, contractor):
    order = make_order({lines["desk"]: 1}, issue=False)
    with pytest.raises(ValidationError):
        services.order_cancel(order=order, comment="", actor=contractor)
    services.order_cancel(order=order, comment="仕様変更", actor=contractor)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


# --- Inspection -------------------------------------------------------------------------------


def test_finding_correction_and_reinspection(position_in, city_user, contractor):
    position = position_in(P.INSTALLED)
    finding = services.finding_raise(position=position, text="天板に傷", photo=png_file(),
                                     actor=city_user)
    assert finding.status == FindingStatus.OPEN and finding.photo
    # the unit cannot pass while the finding is open
    with pytest.raises(ValidationError, match="是正・再検査"):
        services.position_transition(position=position, target=P.INSPECTED, actor=city_user)
    with pytest.raises(PermissionDenied):
        services.finding_correct(finding=finding, correction="交換", actor=city_user)
    services.finding_correct(finding=finding, correction="天板を交換した", actor=contractor)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CORRECTED
    with pytest.raises(PermissionDenied):
        services.finding_reinspect(finding=finding, passed=True, actor=contractor)
    services.finding_reinspect(finding=finding, passed=True, actor=city_user)
    finding.refresh_from_db()
    position.refresh_from_db()
    assert finding.status == FindingStatus.RESOLVED
    assert position.status == P.INSPECTED
    assert [c.new_status for c in FindingStatusChange.objects.filter(finding=finding)] == [
        FindingStatus.OPEN, FindingStatus.CORRECTED, FindingStatus.RESOLVED]


def test_reinspection_may_raise_the_finding_again(position_in, city_user, contractor):
    position = position_in(P.INSTALLED)
    finding = services.finding_raise(position=position, text="傷", actor=city_user)
    services.finding_correct(finding=finding, correction="補修", actor=contractor)
    with pytest.raises(ValidationError):
        services.finding_reinspect(finding=finding, passed=False, comment="", actor=city_user)
    services.finding_reinspect(finding=finding, passed=False, comment="まだ傷が残る",
                               actor=city_user)
    finding.refresh_from_db()
    position.refresh_from_db()
    assert (finding.status, position.status) == (FindingStatus.OPEN, P.INSTALLED)


def test_a_finding_needs_text_and_an_image(position_in, city_user):
    position = position_in(P.DELIVERED)
    with pytest.raises(ValidationError):
        services.finding_raise(position=position, text="  ", actor=city_user)
    with pytest.raises(ValidationError):
        services.finding_raise(position=position, text="x", actor=city_user,
                               photo=SimpleUploadedFile("a.png", b"plain text"))
    assert not Finding.objects.exists()


def test_inspection_deadline_and_overdue(position_in, engagement):
    position = position_in(P.DELIVERED)
    assert selectors.inspection_due(position) == dt.date(2026, 10, 30)
    assert selectors.overdue_count(engagement, today=dt.date(2026, 10, 30)) == 0
    assert selectors.overdue_count(engagement, today=dt.date(2026, 10, 31)) == 1


def test_asset_numbers_after_inspection_and_unique(position_in, engagement, city_user,
                                                   contractor, lines):
    first = position_in(P.INSPECTED)
    second = Position.objects.filter(line=lines["desk"]).exclude(pk=first.pk).get()
    Position.objects.filter(pk=second.pk).update(status=P.INSPECTED)
    with pytest.raises(PermissionDenied):
        services.asset_numbers_set(engagement=engagement, numbers={first.pk: "A-1"},
                                   actor=contractor)
    with pytest.raises(ValidationError, match="重複"):
        services.asset_numbers_set(engagement=engagement, actor=city_user,
                                   numbers={first.pk: "A-1", second.pk: "A－1"})
    assert not Position.objects.exclude(asset_number="").exists()
    assert services.asset_numbers_set(engagement=engagement, actor=city_user,
                                      numbers={first.pk: "Ａ-1", second.pk: "A-2"}) == 2
    first.refresh_from_db()
    assert first.asset_number == "A-1"


def test_asset_number_before_inspection_is_refused(position_in, engagement, city_user):
    position = position_in(P.INSTALLED)
    with pytest.raises(ValidationError, match="検収後"):
        services.asset_numbers_set(engagement=engagement, numbers={position.pk: "A-1"},
                                   actor=city_user)


# --- Subcontracting gate ----------------------------------------------------------------------


def approve_subcontract(engagement, company_name, contractor, items=(WorkItem.PROCUREMENT,),
                        status=ApprovalStatus.APPROVED):
    return ApprovalRequest.objects.create(
        engagement=engagement, kind=ApprovalKind.SUBCONTRACT, title="再委託",
        subcontractor=company_name, work_items=list(items), reason="専門工事",
        requested_by=contractor, status=status)


def test_installation_by_another_company_needs_an_approved_subcontract(
        position_in, contractor, subcontractor, engagement):
    position = position_in(P.DELIVERED)
    with pytest.raises(ValidationError) as caught:
        services.position_transition(position=position, target=P.INSTALLED, actor=contractor,
                                     installer=subcontractor)
    assert "株式会社配線工業" in caught.value.messages[0]
    assert "再委託" in caught.value.messages[0]
    position.refresh_from_db()
    assert position.status == P.DELIVERED
    # a pending request, or one for another part of the work, does not count
    approve_subcontract(engagement, "株式会社配線工業", contractor,
                        status=ApprovalStatus.REQUESTED)
    approve_subcontract(engagement, "株式会社配線工業", contractor, items=[WorkItem.SURVEY])
    with pytest.raises(ValidationError):
        services.position_transition(position=position, target=P.INSTALLED, actor=contractor,
                                     installer=subcontractor)
    # the approved request (name written with full-width spaces) lets it through
    approve_subcontract(engagement, "株式会社　配線工業", contractor)
    services.position_transition(position=position, target=P.INSTALLED, actor=contractor,
                                 installer=subcontractor)
    position.refresh_from_db()
    assert (position.status, position.installer) == (P.INSTALLED, subcontractor)


def test_cabling_by_another_company_needs_an_approved_subcontract(plan, contractor,
                                                                  subcontractor):
    position = Position.objects.get(plan=plan, line=None)
    with pytest.raises(ValidationError, match="再委託"):
        services.connection_add(position=position, kind="power", count=1,
                                installer=subcontractor, actor=contractor)
    assert not Connection.objects.exists()


def test_the_contractors_own_company_needs_no_approval(position_in, contractor, engagement,
                                                       suppliers):
    own = services.supplier_create(engagement=engagement, name=engagement.contractor,
                                   actor=contractor)
    position = position_in(P.DELIVERED)
    services.position_transition(position=position, target=P.INSTALLED, actor=contractor,
                                 installer=own)


def test_installation_day_by_another_company_needs_approval(engagement, contractor,
                                                            subcontractor):
    values = {"date": dt.date(2026, 10, 31), "starts_at": dt.time(9), "ends_at": dt.time(17),
              "planned": "設置", "workers": "4名", "company": subcontractor, "note": ""}
    with pytest.raises(ValidationError) as caught:
        services.installation_day_save(engagement=engagement, values=values, actor=contractor)
    assert "company" in caught.value.error_dict
    assert not InstallationDay.objects.exists()


# --- Installation days ------------------------------------------------------------------------


@pytest.mark.parametrize("day,start,end,ok", [
    (dt.date(2026, 10, 31), 9, 17, True),  # Saturday
    (dt.date(2026, 11, 3), 9, 17, True),  # 文化の日
    (dt.date(2026, 12, 29), 9, 17, True),  # 年末年始
    (dt.date(2026, 11, 5), 18, 21, True),  # Thursday after office hours
    (dt.date(2026, 11, 5), 7, 9, False),  # overlaps 8:45
    (dt.date(2026, 11, 5), 10, 12, False),
])
def test_weekday_office_hours_need_a_note(engagement, contractor, day, start, end, ok):
    values = {"date": day, "starts_at": dt.time(start), "ends_at": dt.time(end),
              "planned": "設置", "workers": "4名", "company": None, "note": ""}
    if ok:
        services.installation_day_save(engagement=engagement, values=values, actor=contractor)
        assert InstallationDay.objects.count() == 1
    else:
        with pytest.raises(ValidationError) as caught:
            services.installation_day_save(engagement=engagement, values=values,
                                           actor=contractor)
        assert "note" in caught.value.error_dict
        values["note"] = "窓口側は午後から作業し、執務スペースは順次移動する。"
        services.installation_day_save(engagement=engagement, values=values, actor=contractor)


def test_installation_day_must_end_after_it_starts(engagement, contractor):
    values = {"date": dt.date(2026, 10, 31), "starts_at": dt.time(17), "ends_at": dt.time(9),
              "planned": "設置", "workers": "4名", "company": None, "note": ""}
    with pytest.raises(ValidationError) as caught:
        services.installation_day_save(engagement=engagement, values=values, actor=contractor)
    assert "ends_at" in caught.value.error_dict


# --- Cabling ----------------------------------------------------------------------------------


def test_tap_load_and_lan_length_are_checked(plan, engagement, contractor, lines):
    tap = services.oa_tap_create(engagement=engagement, label="TAP-1", actor=contractor)
    assert tap.rating_w == 1500
    positions = list(Position.objects.filter(plan=plan).order_by("label"))
    for position in positions:
        values = {name: getattr(position, name) for name in services.REQUIREMENT_FIELDS}
        values.update(oa_tap=tap, printer_count=1 if position.label == "K1" else 0)
        services.position_requirements_update(position=position, values=values,
                                              version=position.version, actor=contractor)
    load = selectors.tap_loads(engagement, list(selectors.positions_of(plan)))[0]
    # K1: PC 150 + 2 monitors 60 + phone 5 + printer 900; 2 desks × 180; booth 150+30+200
    assert load.load_w == 1115 + 360 + 380
    assert load.over
    desk = positions[0]
    services.connection_add(position=desk, kind="lan", count=1, category="Cat6", length_m=60,
                            actor=contractor)
    row = selectors.cabling_rows([Position.objects.prefetch_related("connections")
                                  .get(pk=desk.pk)])[0]
    assert row.too_long and row.untested == 1 and row.missing == {"power": 1}


def test_changing_the_requirement_needs_a_reason(plan, contractor):
    position = Position.objects.get(plan=plan, line=None)
    values = {name: getattr(position, name) for name in services.REQUIREMENT_FIELDS}
    values["required_lan"] = 3
    with pytest.raises(ValidationError) as caught:
        services.position_requirements_update(position=position, values=values,
                                              actor=contractor)
    assert "requirement_reason" in caught.value.error_dict
    services.position_requirements_update(position=position, values=values,
                                          reason="複合機を移設するため", actor=contractor)
    position.refresh_from_db()
    assert position.required_lan == 3


def test_a_lan_run_needs_its_category(plan, contractor):
    position = Position.objects.get(plan=plan, line=None)
    with pytest.raises(ValidationError) as caught:
        services.connection_add(position=position, kind="lan", count=1, actor=contractor)
    assert "category" in caught.value.error_dict


def test_progress_is_the_share_of_units_inspected(plan, engagement, position_in):
    assert selectors.stage_progress(engagement).percent == 0
    position_in(P.INSPECTED)
    assert selectors.stage_progress(engagement).percent == 20
    assert PlanLine.objects.filter(plan=plan).count() == 3
