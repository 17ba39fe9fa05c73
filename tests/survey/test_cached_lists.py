"""The desk and storage lists serve their body from the cache while the data is unchanged
(``engagements.fragments``); any change shows at the next view."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

pytestmark = pytest.mark.django_db


def desk_list(client, engagement, query: str = "") -> str:
    """The list's main part (the header holds the per-response CSRF token)."""
    response = client.get(reverse("survey:desk_list", args=[engagement.pk]) + query)
    assert response.status_code == 200
    return re.search(r"<main.*</main>", response.content.decode(), re.DOTALL).group()


def test_the_second_view_is_served_from_the_cache(client, city_user, engagement, make_desk,
                                                  django_assert_max_num_queries):
    client.force_login(city_user)
    make_desk("01")
    first = desk_list(client, engagement)
    desk_list(client, engagement)  # the engagement itself is now cached too
    with django_assert_max_num_queries(3):  # session, user, membership: no desk is read
        second = desk_list(client, engagement)
    assert second == first and ">01</a>" in second


def test_a_desk_deleted_on_its_page_disappears_at_once(client, city_user, engagement,
                                                       make_desk):
    client.force_login(city_user)
    desk = make_desk("01")
    make_desk("02")
    assert ">01</a>" in desk_list(client, engagement)
    response = client.post(reverse("survey:desk_delete", args=[engagement.pk, desk.pk]))
    assert response.status_code == 302
    html = desk_list(client, engagement)
    assert ">01</a>" not in html and ">02</a>" in html


def test_a_desk_added_outside_a_request_shows_once_committed(
        client, city_user, engagement, make_desk, django_capture_on_commit_callbacks):
    client.force_login(city_user)
    assert ">07</a>" not in desk_list(client, engagement)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # a command
        make_desk("07")
    assert ">07</a>" in desk_list(client, engagement)


def test_each_filter_and_page_has_its_own_body(client, city_user, engagement, make_desk):
    client.force_login(city_user)
    make_desk("01", condition="good")
    make_desk("02", condition="poor")
    everything = desk_list(client, engagement)
    poor = desk_list(client, engagement, "?condition=poor")
    assert ">01</a>" in everything and ">02</a>" in everything
    assert ">01</a>" not in poor and ">02</a>" in poor
    assert desk_list(client, engagement) == everything


def test_the_language_is_part_of_the_key(client, city_user, engagement, make_desk):
    client.force_login(city_user)
    make_desk("01")
    assert "机" in desk_list(client, engagement)
    client.cookies["django_language"] = "en"
    html = desk_list(client, engagement)
    assert "Add a desk" in html and "Documents (fm)" in html and "机" not in html


def test_an_import_outside_a_request_shows_once_committed(
        client, city_user, engagement, floor, make_desk, django_capture_on_commit_callbacks):
    """The import writes in bulk (no model signals): it says itself that the data changed."""
    import io

    from openpyxl import load_workbook

    from survey import excel

    make_desk("01")
    client.force_login(city_user)
    assert ">01</a>" in desk_list(client, engagement)
    workbook = load_workbook(io.BytesIO(excel.export_workbook(engagement)))
    sheet = next(ws for ws in workbook.worksheets
                 if any(c.value == "机番号" for r in ws.iter_rows(max_row=5) for c in r))
    sheet.append(["99", floor.name, None, None, None, 1200, 700])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # the command
        result = excel.survey_import(engagement=engagement, file=buffer, actor=city_user)
    assert result.ok, [str(e) for e in result.errors]
    assert result.created["desks"] == 1
    assert ">99</a>" in desk_list(client, engagement)
