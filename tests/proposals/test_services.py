"""Services: copying layouts, saving the editor's layout, every transition, the work lists."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from engagements.choices import Role
from proposals import selectors, services
from proposals.choices import (
    AlternativeStatus,
    LayoutAction,
    WorkListKind,
)
from proposals.models import (
    Alternative,
    CatalogueItem,
    LayoutItem,
    StatusChange,
    WorkListItem,
    Zone,
)
from proposals.workflows import ALTERNATIVE_WORKFLOW

from .conftest import payload_of

S = AlternativeStatus


# --- Alternatives and layout ------------------------------------------------------------------


def test_alternative_starts_as_a_copy_of_the_survey_layout(alternative, survey_layout):
    items = list(alternative.items.all())
    assert alternative.status == S.DRAFT
    assert len(items) == 4
    assert {i.action for i in items} == {LayoutAction.KEEP}
    d1 = alternative.items.get(desk=survey_layout["desks"][0])
    assert (d1.x_mm, d1.y_mm, d1.width_mm, d1.depth_mm) == (1000, 1000, 1200, 700)


def test_alternative_can_start_from_another(alternative, floor, catalogue, contractor):
    # given 案A with a new booth and a zone
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    items.append({"id": None, "catalogue": catalogue["booth"].pk, "x": 8000, "y": 8000, "r": 0})
    zones.append({"id": None, "kind": "collaboration", "name": "コラボ", "capacity": 6,
                  "x": 9000, "y": 5000, "w": 2000, "d": 2000, "r": 0})
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    # when
    copy = services.alternative_create(proposal=alternative.proposal, label="案B",
                                       based_on=alternative, actor=contractor)
    # then
    assert copy.based_on == alternative
    assert copy.items.count() == 5
    assert copy.items.filter(action=LayoutAction.NEW, catalogue_item=catalogue["booth"]).exists()
    assert copy.zones.get().name == "コラボ"


def test_layout_save_moves_removes_and_adds(alternative, floor, catalogue, contractor,
                                           survey_layout):
    # given the editor's state
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    by_label = {i["label"]: i for i in items}
    by_label["D1"]["x"] = 1500            # moved
    by_label["D2"]["removed"] = True      # removed
    by_label["D3"]["r"] = 0               # unchanged: kept
    items.append({"id": None, "catalogue": catalogue["table"].pk, "x": 8000, "y": 6000,
                  "r": 90, "label": "テーブル"})
    # when
    warnings = services.layout_save(alternative=alternative, floor=floor, items=items,
                                    zones=zones, actor=contractor)
    # then
    actions = {str(i): i.action for i in alternative.items.all()}
    assert actions == {"D1": LayoutAction.MOVE, "D2": LayoutAction.REMOVE,
                       "D3": LayoutAction.KEEP, "S1": LayoutAction.KEEP,
                       "フリーアドレステーブル": LayoutAction.NEW}
    new = alternative.items.get(action=LayoutAction.NEW)
    assert (new.x_mm, new.y_mm, new.rotation_deg, new.width_mm) == (8000, 6000, 90, 2400)
    assert warnings == []  # nothing overlaps


def test_moving_back_to_the_survey_position_keeps_the_item(alternative, floor, contractor):
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    items[0]["x"] += 100
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    items[0]["x"] -= 100
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    assert set(alternative.items.values_list("action", flat=True)) == {LayoutAction.KEEP}


def test_new_items_left_out_are_deleted_and_survey_items_stay(alternative, floor, catalogue,
                                                              contractor):
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    services.layout_save(alternative=alternative, floor=floor, actor=contractor, zones=zones,
                         items=[*items, {"id": None, "catalogue": catalogue["locker"].pk,
                                         "x": 100, "y": 9000, "r": 0}])
    # when the editor posts the layout without the locker nor D1
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    kept = [i for i in items if i["label"] not in ("ロッカー", "D1")]
    services.layout_save(alternative=alternative, floor=floor, items=kept, zones=zones,
                         actor=contractor)
    # then the locker is gone, D1 is still there (a survey item is removed, never deleted)
    assert not alternative.items.filter(action=LayoutAction.NEW).exists()
    assert alternative.items.filter(desk__number="D1").exists()


def test_layout_save_reports_overlaps_but_saves(alternative, floor, contractor):
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    by_label = {i["label"]: i for i in items}
    by_label["D3"]["y"] = 1200  # onto D1
    warnings = services.layout_save(alternative=alternative, floor=floor, items=items,
                                    zones=zones, actor=contractor)
    assert [(w.kind, w.first, w.second) for w in warnings] == [("overlap", "D1", "D3")]
    assert alternative.items.get(desk__number="D3").y_mm == 1200


def test_bad_row_refuses_the_whole_layout(alternative, floor, contractor):
    # given one good move and one item outside the floor
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    items[0]["x"] = 5000
    items[1]["x"] = 99_999
    # when / then
    with pytest.raises(ValidationError) as info:
        services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                             actor=contractor)
    assert "床の外" in " ".join(info.value.messages)
    assert alternative.items.get(pk=items[0]["id"]).x_mm != 5000  # nothing half-saved


def test_zone_needs_a_name_and_a_kind(alternative, floor, contractor):
    items, _zones = payload_of(selectors.editor_state(alternative, floor))
    with pytest.raises(ValidationError):
        services.layout_save(alternative=alternative, floor=floor, items=items, actor=contractor,
                             zones=[{"id": None, "kind": "nope", "name": "", "capacity": 2,
                                     "x": 0, "y": 0, "w": 1000, "d": 1000}])
    assert not Zone.objects.exists()


def test_only_the_contractor_edits_the_layout(alternative, floor, city_user, administrator):
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    for user in (city_user, administrator):
        with pytest.raises(PermissionDenied):
            services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                                 actor=user)


@pytest.mark.parametrize("status", [S.SUBMITTED, S.APPROVED])
def test_submitted_or_approved_layout_is_frozen(status, make_alternative, floor, contractor):
    alternative = make_alternative(status)
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    with pytest.raises(ValidationError):
        services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                             actor=contractor)
    with pytest.raises(ValidationError):
        services.alternative_update(alternative=alternative, actor=contractor, rationale="x")


# --- Figures from the database ----------------------------------------------------------------


def test_before_and_after_figures(alternative, floor, catalogue, contractor, engagement):
    # given D2 removed, a free-address table and a locker added
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    for item in items:
        item["removed"] = item["label"] == "D2"
    items += [{"id": None, "catalogue": catalogue["table"].pk, "x": 8000, "y": 6000, "r": 0},
              {"id": None, "catalogue": catalogue["locker"].pk, "x": 12000, "y": 100, "r": 0}]
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    base = selectors.baseline(engagement)
    # when
    before = selectors.before_figures(engagement, base)
    after = selectors.alternative_figures(alternative, base)
    # then
    assert (base.headcount, base.document_fm) == (4, Decimal("10.00"))
    assert (before.seats, before.storage_fm, before.paper_reduction_percent) == (
        3, Decimal("4.50"), 55)
    assert before.seats_per_person == Decimal("0.75")
    assert after.seats == 2 + 6
    assert after.storage_fm == Decimal("5.70")  # 4.5 + 1.2
    assert after.paper_reduction_percent == 43  # 1 - 5.7 / 10
    assert after.desk_area_m2 == Decimal("5.0")  # 2 × 0.84 + 3.36


def test_cost_of_an_alternative(alternative, floor, catalogue, contractor):
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    items += [{"id": None, "catalogue": catalogue["booth"].pk, "x": x, "y": 8000, "r": 0}
              for x in (8000, 9000)]
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    services.works_lines_save(alternative=alternative, actor=contractor, rows=[
        {"id": None, "description": "配線工事", "amount_yen": 12_345, "tax_class": "standard",
         "sort_order": 1}])
    cost = selectors.alternative_cost(alternative)
    assert [(line.description, line.quantity) for line in cost.lines] == [
        ("集中ブース W1000×D1000", 2), ("配線工事", 1)]
    assert cost.subtotal_yen == 852_345
    assert cost.tax_yen == 85_234  # ⌊85,234.5⌋
    assert cost.total_yen == 937_579


# --- Transitions ------------------------------------------------------------------------------


def test_submit_moves_draft_to_submitted_and_records_it(alternative, contractor):
    # when
    services.alternative_submit(alternative=alternative, actor=contractor, comment="提出します")
    # then
    alternative.refresh_from_db()
    assert alternative.status == S.SUBMITTED
    change = alternative.status_changes.get()
    assert (change.old_status, change.new_status, change.actor, change.comment) == (
        S.DRAFT, S.SUBMITTED, contractor, "提出します")


def test_return_needs_a_comment_and_records_it(make_alternative, city_user):
    alternative = make_alternative(S.SUBMITTED)
    with pytest.raises(ValidationError):
        services.alternative_return(alternative=alternative, actor=city_user, comment="  ")
    assert not alternative.status_changes.exists()
    services.alternative_return(alternative=alternative, actor=city_user, comment="席数を見直し")
    alternative.refresh_from_db()
    assert alternative.status == S.RETURNED
    assert alternative.status_changes.get().comment == "席数を見直し"


def test_returned_alternative_can_be_resubmitted(make_alternative, contractor):
    alternative = make_alternative(S.RETURNED)
    services.alternative_submit(alternative=alternative, actor=contractor)
    alternative.refresh_from_db()
    assert alternative.status == S.SUBMITTED
    assert alternative.status_changes.get().old_status == S.RETURNED


def test_approve_freezes_and_produces_the_work_lists(alternative, floor, catalogue, contractor,
                                                     city_user):
    # given D2 removed and two booths added, submitted
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    for item in items:
        item["removed"] = item["label"] == "D2"
    items += [{"id": None, "catalogue": catalogue["booth"].pk, "x": x, "y": 8000, "r": 0}
              for x in (8000, 9000)]
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    services.alternative_submit(alternative=alternative, actor=contractor)
    # when
    services.alternative_approve(alternative=alternative, actor=city_user, comment="承認します")
    # then
    alternative.refresh_from_db()
    assert alternative.status == S.APPROVED
    assert not alternative.is_editable
    assert alternative.status_changes.filter(new_status=S.APPROVED).count() == 1
    procure = WorkListItem.objects.get(alternative=alternative, kind=WorkListKind.PROCURE)
    assert (procure.catalogue_item, procure.quantity, procure.amount_yen) == (
        catalogue["booth"], 2, 840_000)
    dispose = WorkListItem.objects.get(alternative=alternative, kind=WorkListKind.DISPOSE)
    assert dispose.desk.number == "D2"


def test_only_one_alternative_of_a_proposal_is_approved(make_alternative, city_user):
    # 案B was submitted before 案A was approved (afterwards it could not be submitted)
    second = make_alternative(S.SUBMITTED, label="案B")
    make_alternative(S.APPROVED, label="案A")
    with pytest.raises(ValidationError) as info:
        services.alternative_approve(alternative=second, actor=city_user)
    assert "案A" in info.value.messages[0]
    second.refresh_from_db()
    assert second.status == S.SUBMITTED
    assert not second.status_changes.exists()
    assert not second.work_list.exists()


def test_database_refuses_two_approved_alternatives(make_alternative):
    # 案B was submitted before 案A was approved (afterwards it could not be submitted)
    second = make_alternative(S.SUBMITTED, label="案B")
    make_alternative(S.APPROVED, label="案A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Alternative.objects.filter(pk=second.pk).update(status=S.APPROVED)


TARGETS = [S.SUBMITTED, S.RETURNED, S.APPROVED]
# Written out, not read from the workflow: a wrong pair added to the table fails here.
ALLOWED_PAIRS = [
    ("draft", "submitted"),
    ("returned", "submitted"),
    ("submitted", "returned"),
    ("submitted", "approved"),
]
DISALLOWED_PAIRS = [
    (source, target) for source in S for target in TARGETS
    if (source, target) not in ALLOWED_PAIRS
]


def test_the_alternative_workflow_has_exactly_the_allowed_pairs():
    assert set(ALTERNATIVE_WORKFLOW.transitions) == set(ALLOWED_PAIRS)


def _transition(alternative, target, contractor, city_user):
    if target == S.SUBMITTED:
        return services.alternative_submit(alternative=alternative, actor=contractor)
    if target == S.RETURNED:
        return services.alternative_return(alternative=alternative, actor=city_user,
                                           comment="理由")
    return services.alternative_approve(alternative=alternative, actor=city_user)


def test_the_pairs_cover_every_source_and_target():
    assert len(DISALLOWED_PAIRS) + len(ALLOWED_PAIRS) == len(S) * len(TARGETS)
    assert len(ALLOWED_PAIRS) == 4


@pytest.mark.parametrize("source,target", DISALLOWED_PAIRS)
def test_disallowed_transition_raises_and_writes_nothing(source, target, make_alternative,
                                                         contractor, city_user):
    alternative = make_alternative(source)
    work_lines = WorkListItem.objects.count()
    with pytest.raises(ValidationError) as info:
        _transition(alternative, target, contractor, city_user)
    assert info.value.messages[0]  # a message the user can read
    alternative.refresh_from_db()
    assert alternative.status == source
    assert not StatusChange.objects.filter(alternative=alternative).exists()
    assert WorkListItem.objects.count() == work_lines


@pytest.mark.parametrize("source,target", ALLOWED_PAIRS)
def test_allowed_transition_writes_one_status_change(source, target, make_alternative,
                                                     contractor, city_user):
    alternative = make_alternative(source)
    _transition(alternative, target, contractor, city_user)
    alternative.refresh_from_db()
    assert alternative.status == target
    change = StatusChange.objects.get(alternative=alternative)
    assert (change.old_status, change.new_status) == (source, target)


# --- Permission matrix ------------------------------------------------------------------------

ROLE_RULES = [
    # (role fixture, submit, return, approve, edit layout)
    ("contractor", True, False, False, True),
    ("city_user", False, True, True, False),
    ("administrator", False, False, False, False),
    ("outsider", False, False, False, False),
]


@pytest.mark.parametrize("role,submit,return_,approve,edit", ROLE_RULES)
def test_permission_matrix(role, submit, return_, approve, edit, request, make_alternative,
                           floor):
    user = request.getfixturevalue(role)
    draft = make_alternative(S.DRAFT, label="案D")
    submitted_1 = make_alternative(S.SUBMITTED, label="案S1")
    submitted_2 = make_alternative(S.SUBMITTED, label="案S2")
    cases = [
        (edit, lambda: services.alternative_update(alternative=draft, actor=user,
                                                   rationale="根拠")),
        (submit, lambda: services.alternative_submit(alternative=draft, actor=user)),
        (return_, lambda: services.alternative_return(alternative=submitted_1, actor=user,
                                                      comment="理由")),
        (approve, lambda: services.alternative_approve(alternative=submitted_2, actor=user)),
    ]
    for allowed, call in cases:
        if allowed:
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()


def test_catalogue_is_edited_by_the_engagements_administrators_only(
        administrator, contractor, city_user, outsider, engagement, other_engagement,
        make_member):
    # given an administrator of another engagement
    other_admin = make_member(other_engagement, Role.ADMINISTRATOR, "other-admin")
    values = {"kind": "desk", "name": "机", "width_mm": 1200, "depth_mm": 700,
              "unit_price_yen": 50_000}
    # when this engagement's administrator adds an item
    item = services.catalogue_item_save(engagement=engagement, values=values,
                                        actor=administrator)
    # then it is this engagement's, and nobody else changes it
    assert item.engagement == engagement
    for user in (contractor, city_user, other_admin):
        with pytest.raises(PermissionDenied):
            services.catalogue_item_save(engagement=engagement, item=item,
                                         values={"unit_price_yen": 1}, actor=user)
    with pytest.raises(CatalogueItem.DoesNotExist):
        services.catalogue_item_save(engagement=other_engagement, item=item,
                                     values={"unit_price_yen": 1}, actor=other_admin)
    item.refresh_from_db()
    assert item.unit_price_yen == 50_000


def test_layout_items_need_one_source(alternative, catalogue):
    item = LayoutItem(alternative=alternative, engagement=alternative.proposal.engagement,
                      floor=alternative.items.first().floor, action=LayoutAction.NEW,
                      width_mm=100, depth_mm=100)
    with pytest.raises(ValidationError):
        item.full_clean()


def test_approved_work_list_is_readable_by_the_next_stages(make_alternative, engagement,
                                                           other_engagement):
    # given an approved alternative that removes nothing and adds nothing, and a submitted one
    make_alternative(S.SUBMITTED, label="案B")
    make_alternative(S.APPROVED, label="案A")
    # then only the approved alternative's lists are offered, scoped to the engagement
    assert list(selectors.approved_work_list(engagement)) == []
    assert not selectors.approved_work_list(other_engagement).exists()


def test_approved_work_list_lists_procurement_and_disposal(alternative, floor, catalogue,
                                                           contractor, city_user, engagement):
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    for item in items:
        item["removed"] = item["label"] == "S1"
    items.append({"id": None, "catalogue": catalogue["locker"].pk, "x": 9000, "y": 100, "r": 0})
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    services.alternative_submit(alternative=alternative, actor=contractor)
    services.alternative_approve(alternative=alternative, actor=city_user)
    procure = selectors.approved_work_list(engagement, WorkListKind.PROCURE).get()
    dispose = selectors.approved_work_list(engagement, WorkListKind.DISPOSE).get()
    assert (procure.catalogue_item.name, procure.quantity) == ("ロッカー", 1)
    assert dispose.storage_unit.number == "S1"
