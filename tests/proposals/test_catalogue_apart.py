"""The furniture catalogue belongs to an engagement, and an approved alternative keeps the names
and prices it was approved with, whatever the catalogue says later."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from engagements.concurrency import StaleEdit
from proposals import selectors, services
from proposals.choices import CatalogueKind, WorkListKind
from proposals.models import CatalogueItem

from .conftest import payload_of


def url(name, engagement, *args):
    return reverse(f"proposals:{name}", args=[engagement.pk, *args])


@pytest.fixture
def other_item(other_engagement):
    return CatalogueItem.objects.create(
        engagement=other_engagement, kind=CatalogueKind.DESK, name="よその机", width_mm=1200,
        depth_mm=700, unit_price_yen=10_000)


def form_data(item, **changes):
    data = {"kind": item.kind, "name": item.name, "maker": item.maker,
            "model_number": item.model_number, "width_mm": item.width_mm,
            "depth_mm": item.depth_mm, "unit_price_yen": item.unit_price_yen,
            "tax_class": item.tax_class, "seats": item.seats, "storage_fm": item.storage_fm,
            "outlets": item.outlets, "active": "on", "version": item.version}
    data.update(changes)
    return data


# --- Another engagement's items: not found, not offered ---------------------------------------


def test_another_engagements_item_answers_404(client, administrator, engagement, catalogue,
                                             other_item):
    client.force_login(administrator)
    edit = url("catalogue_update", engagement, other_item.pk)
    assert client.get(edit).status_code == 404
    response = client.post(edit, form_data(other_item, name="改名", unit_price_yen=99_999_999))
    assert response.status_code == 404
    other_item.refresh_from_db()
    assert (other_item.name, other_item.unit_price_yen) == ("よその机", 10_000)


def test_another_engagements_items_are_not_listed_or_offered(client, contractor, engagement,
                                                            alternative, floor, catalogue,
                                                            other_item):
    client.force_login(contractor)
    listing = client.get(url("catalogue_list", engagement)).content.decode()
    assert catalogue["booth"].name in listing
    assert other_item.name not in listing
    offered = {c["id"] for c in selectors.editor_state(alternative, floor)["catalogue"]}
    assert offered == {item.pk for item in catalogue.values()}


def test_the_editor_refuses_another_engagements_item(alternative, floor, catalogue, contractor,
                                                     other_item):
    # given the layout as it is
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    before = alternative.items.count()
    # when a forged save adds another engagement's item
    items.append({"id": None, "catalogue": other_item.pk, "label": "x", "x": 8000, "y": 8000,
                  "r": 0})
    with pytest.raises(ValidationError, match="カタログの品目を選んでください"):
        services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                             actor=contractor)
    # then nothing was added
    assert alternative.items.count() == before


def test_the_same_name_may_be_in_two_engagements_catalogues(administrator, engagement,
                                                           other_item):
    item = services.catalogue_item_save(
        engagement=engagement, actor=administrator,
        values={"kind": CatalogueKind.DESK, "name": other_item.name, "width_mm": 1000,
                "depth_mm": 600, "unit_price_yen": 1})
    assert item.engagement == engagement and item.pk != other_item.pk


def test_catalogue_copy_copies_one_engagements_catalogue_into_another(
        engagement, other_engagement, catalogue, other_item):
    # given the other engagement has an item of one of this catalogue's names already
    CatalogueItem.objects.create(engagement=other_engagement, kind=CatalogueKind.LOCKER,
                                 name="ロッカー", width_mm=1, depth_mm=1, unit_price_yen=1)
    # when this engagement's catalogue is copied into the other
    created = services.catalogue_copy(source=engagement, target=other_engagement, actor=None)
    # then the missing items are copied with their facts; the existing name is left alone
    names = {c.name for c in created}
    assert names == {"フリーアドレステーブル", "集中ブース", "レイアウト設計"}
    table = CatalogueItem.objects.get(engagement=other_engagement, name="フリーアドレステーブル")
    source = catalogue["table"]
    assert (table.kind, table.width_mm, table.unit_price_yen, table.seats, table.outlets) == (
        source.kind, source.width_mm, source.unit_price_yen, source.seats, source.outlets)
    assert CatalogueItem.objects.get(engagement=other_engagement, name="ロッカー").width_mm == 1
    assert CatalogueItem.objects.filter(engagement=engagement).count() == len(catalogue)


# --- Optimistic locking -------------------------------------------------------------------------


def test_a_stale_catalogue_edit_is_refused_with_the_current_values(client, administrator,
                                                                   engagement, catalogue):
    # given two administrators opened the booth at the same version; the first saved
    booth = catalogue["booth"]
    opened = booth.version
    services.catalogue_item_save(engagement=engagement, item=booth, version=opened,
                                 values={"unit_price_yen": 430_000}, actor=administrator)
    # when the second saves with the version they opened
    with pytest.raises(StaleEdit):
        services.catalogue_item_save(engagement=engagement, item=booth, version=opened,
                                     values={"unit_price_yen": 1}, actor=administrator)
    client.force_login(administrator)
    response = client.post(url("catalogue_update", engagement, booth.pk),
                           form_data(booth, unit_price_yen=2, version=opened))
    # then it is refused, naming the current price, and the first save stands
    assert response.status_code == 200
    html = response.content.decode()
    assert "あなたが開いた後に他の人が保存しました" in html
    assert "430000" in html
    booth.refresh_from_db()
    assert booth.unit_price_yen == 430_000


# --- An approved alternative is frozen ----------------------------------------------------------


def test_an_approved_alternative_keeps_its_names_and_prices(
        client, administrator, contractor, city_user, engagement, proposal, alternative, floor,
        catalogue):
    # given an alternative with two booths, approved
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    items += [{"id": None, "catalogue": catalogue["booth"].pk, "label": "集中ブース",
               "x": x, "y": 8000, "r": 0} for x in (8000, 9000)]
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    services.alternative_submit(alternative=alternative, actor=contractor)
    services.alternative_approve(alternative=alternative, actor=city_user)
    detail = url("alternative_detail", engagement, alternative.pk)
    client.force_login(contractor)
    cost_before = selectors.alternative_cost(alternative)
    base = selectors.baseline(engagement)
    figures_before = selectors.alternative_figures(alternative, base)
    # when the administrator renames and reprices the booth (and gives it nine seats)
    booth = catalogue["booth"]
    client.force_login(administrator)
    response = client.post(url("catalogue_update", engagement, booth.pk),
                           form_data(booth, name="改名ブース", unit_price_yen=99_999_999,
                                     seats=9, kind=CatalogueKind.DESK))
    assert response.status_code == 302
    booth.refresh_from_db()
    assert (booth.name, booth.unit_price_yen) == ("改名ブース", 99_999_999)
    # then the approved alternative's page, comparison, work list and report are unchanged
    client.force_login(contractor)
    html = client.get(detail).content.decode()
    assert "集中ブース" in html and "840,000" in html
    assert "改名ブース" not in html and "99,999,999" not in html
    compare = client.get(url("comparison", engagement, proposal.pk)).content.decode()
    assert "改名ブース" not in compare and "99,999,999" not in compare
    assert selectors.alternative_cost(alternative) == cost_before
    assert selectors.alternative_figures(alternative, base) == figures_before
    row = selectors.approved_work_list(engagement, WorkListKind.PROCURE).get()
    assert (row.description, row.unit_price_yen, row.amount_yen) == (
        "集中ブース W1000×D1000", 420_000, 840_000)
    chapter = selectors.report_chapter(engagement)
    assert chapter["chosen"].cost == cost_before
    lines = [(line.description, line.unit_price_yen) for line in chapter["chosen"].cost.lines]
    assert ("集中ブース W1000×D1000", 420_000) in lines
    # and a draft made from the catalogue now reads the new price
    draft = services.alternative_create(proposal=proposal, label="案B", based_on=alternative,
                                        actor=contractor)
    new_items = [i for i in selectors.layout_items(draft) if i.catalogue_item_id]
    assert {(i.catalogue_entry.unit_price_yen, i.catalogue_entry.seats)
            for i in new_items} == {(99_999_999, 9)}


def test_approval_writes_the_snapshot_on_the_rows(alternative, floor, catalogue, contractor,
                                                  city_user):
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    items.append({"id": None, "catalogue": catalogue["design"].pk, "label": "設計", "x": 8000,
                  "y": 8000, "r": 0})
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    row = alternative.items.get(catalogue_item=catalogue["design"])
    assert (row.catalogue_name, row.catalogue_unit_price_yen) == ("", None)
    services.alternative_submit(alternative=alternative, actor=contractor)
    services.alternative_approve(alternative=alternative, actor=city_user)
    row.refresh_from_db()
    assert (row.catalogue_name, row.catalogue_unit_price_yen, row.catalogue_tax_class,
            row.catalogue_kind, row.catalogue_seats, row.catalogue_outlets) == (
        "レイアウト設計", 12_345, "non_taxable", "other", 0, 0)
    assert row.history.first().history_user == city_user


def test_members_of_other_roles_cannot_edit_the_catalogue(client, contractor, city_user,
                                                          engagement, catalogue, make_member):
    booth = catalogue["booth"]
    for user in (contractor, city_user):
        client.force_login(user)
        response = client.post(url("catalogue_update", engagement, booth.pk),
                               form_data(booth, unit_price_yen=1))
        assert response.status_code == 403
    booth.refresh_from_db()
    assert booth.unit_price_yen == 420_000
