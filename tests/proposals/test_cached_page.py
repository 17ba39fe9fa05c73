"""The alternative page caches what it derives from the layout (figures, plans, warnings) under
the engagement's data generation: a change shows at once, however it was made."""

import pytest
from django.db import transaction
from django.urls import reverse

from proposals import selectors, services

from .conftest import payload_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


def page(client, engagement, alternative):
    response = client.get(reverse("proposals:alternative_detail",
                                  args=[engagement.pk, alternative.pk]))
    assert response.status_code == 200
    return response


def fresh_view(engagement, alternative):
    alternative = selectors.with_layout(selectors.alternative_queryset(engagement)).get(
        pk=alternative.pk)
    base = selectors.baseline(engagement)
    view = selectors.alternative_view(alternative, base, selectors.floors_of(engagement))
    return base, view


def fresh_rows(engagement, alternative):
    base, view = fresh_view(engagement, alternative)
    return selectors.figure_table([selectors.before_figures(engagement, base), view.figures])


def add_booths(alternative, floor, catalogue, contractor, n):
    items, zones = payload_of(selectors.editor_state(alternative, floor))
    items += [{"id": None, "catalogue": catalogue["booth"].pk, "x": 1000 + k * 1100,
               "y": 5000, "r": 0} for k in range(n)]
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)


def test_the_second_view_is_served_from_the_cache(login, contractor, engagement, alternative,
                                                  django_assert_max_num_queries):
    client = login(contractor)
    first = page(client, engagement, alternative).content.decode()
    with django_assert_max_num_queries(12):  # no layout, survey or occupancy query
        second = page(client, engagement, alternative)
    assert second.context["rows"] == fresh_rows(engagement, alternative)
    assert second.content.decode().count("<svg") == first.count("<svg")


def test_a_layout_change_shows_at_once(login, contractor, engagement, alternative, floor,
                                       catalogue, django_capture_on_commit_callbacks):
    client = login(contractor)
    before = page(client, engagement, alternative).context["rows"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # a command
        add_booths(alternative, floor, catalogue, contractor, 3)
    after = page(client, engagement, alternative).context["view"].cost
    assert after != before
    assert after == fresh_view(engagement, alternative)[1].cost


def test_a_catalogue_change_made_from_another_engagement_shows_at_once(
        login, contractor, engagement, alternative, floor, catalogue, make_engagement,
        make_member):
    other = make_engagement("別の案件")
    admin = make_member(other, "administrator", "other-admin")
    add_booths(alternative, floor, catalogue, contractor, 2)
    client = login(contractor)
    before = page(client, engagement, alternative).context["view"].cost
    # The catalogue is shared: an administrator edits a price from another engagement's pages.
    client.force_login(admin)
    booth = catalogue["booth"]
    response = client.post(reverse("proposals:catalogue_update", args=[other.pk, booth.pk]), {
        "kind": booth.kind, "name": booth.name, "maker": booth.maker,
        "model_number": booth.model_number, "width_mm": booth.width_mm,
        "depth_mm": booth.depth_mm, "unit_price_yen": booth.unit_price_yen + 100_000,
        "tax_class": booth.tax_class, "seats": booth.seats, "storage_fm": booth.storage_fm,
        "outlets": booth.outlets, "active": "on",
    })
    assert response.status_code == 302, response.context["form"].errors
    client.force_login(contractor)
    after = page(client, engagement, alternative).context["view"].cost
    assert after != before
    assert after == fresh_view(engagement, alternative)[1].cost
