"""The alternative page caches what it derives from the layout (figures, plans, warnings) under
the engagement's data generation: a change shows at once, however it was made."""

import re

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


def without_tokens(html: str) -> str:
    """The page without what differs per response (CSRF tokens, CSP nonces)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_the_second_view_is_served_from_the_cache(login, contractor, engagement, alternative,
                                                  django_assert_max_num_queries):
    client = login(contractor)
    first = page(client, engagement, alternative)
    assert first.context["rows"] == fresh_rows(engagement, alternative)  # rendered afresh
    with django_assert_max_num_queries(10):  # no layout, survey or occupancy query
        second = page(client, engagement, alternative)
    assert "rows" not in second.context  # nothing derived again
    assert without_tokens(second.content.decode()) == without_tokens(first.content.decode())
    assert second.content.decode().count("<svg") >= 1


def test_a_layout_change_shows_at_once(login, contractor, engagement, alternative, floor,
                                       catalogue, django_capture_on_commit_callbacks):
    client = login(contractor)
    before = page(client, engagement, alternative).context["rows"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # a command
        add_booths(alternative, floor, catalogue, contractor, 3)
    after = page(client, engagement, alternative).context["view"].cost
    assert after != before
    assert after == fresh_view(engagement, alternative)[1].cost


def _catalogue_post(client, engagement, booth, price):
    return client.post(reverse("proposals:catalogue_update", args=[engagement.pk, booth.pk]), {
        "kind": booth.kind, "name": booth.name, "maker": booth.maker,
        "model_number": booth.model_number, "width_mm": booth.width_mm,
        "depth_mm": booth.depth_mm, "unit_price_yen": price,
        "tax_class": booth.tax_class, "seats": booth.seats, "storage_fm": booth.storage_fm,
        "outlets": booth.outlets, "active": "on", "version": booth.version,
    })


def test_a_catalogue_change_by_the_engagements_administrator_shows_at_once(
        login, contractor, administrator, engagement, alternative, floor, catalogue,
        make_engagement, make_member):
    # given a page rendered (and cached) with two booths
    other = make_engagement("別の案件")
    other_admin = make_member(other, "administrator", "other-admin")
    add_booths(alternative, floor, catalogue, contractor, 2)
    client = login(contractor)
    before = page(client, engagement, alternative).context["view"].cost
    booth = catalogue["booth"]
    # when another engagement's administrator tries to change the price: not found
    client.force_login(other_admin)
    assert _catalogue_post(client, other, booth, 99_999_999).status_code == 404
    booth.refresh_from_db()
    assert booth.unit_price_yen == 420_000
    # when this engagement's administrator changes it
    client.force_login(administrator)
    response = _catalogue_post(client, engagement, booth, booth.unit_price_yen + 100_000)
    assert response.status_code == 302, response.context["form"].errors
    # then the cached page shows it at once
    client.force_login(contractor)
    after = page(client, engagement, alternative).context["view"].cost
    assert after != before
    assert after == fresh_view(engagement, alternative)[1].cost


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_forms_in_the_cached_page_carry_each_readers_own_csrf_token(
        engagement, alternative, contractor, make_member):
    from django.test import Client

    from engagements.fragments import CSRF_PLACEHOLDER

    second_contractor = make_member(engagement, "contractor", "contractor-2")
    url = reverse("proposals:alternative_detail", args=[engagement.pk, alternative.pk])
    clients = []
    for user in (contractor, second_contractor):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        client.get(url)  # the first renders the page, the second is served from the cache
        html = client.get(url).content.decode()
        assert CSRF_PLACEHOLDER not in html
        clients.append((client, html))
    (first, first_html), (second, second_html) = clients
    main = re.compile(r"<main.*</main>", re.DOTALL)
    assert (without_tokens(main.search(first_html).group())
            == without_tokens(main.search(second_html).group()))  # the same cached page
    first_tokens, second_tokens = set(TOKEN.findall(first_html)), set(TOKEN.findall(second_html))
    assert first_tokens and second_tokens and not first_tokens & second_tokens
    # The token written into the cached workflow form is accepted: the submission goes through.
    submit = reverse("proposals:alternative_transition",
                     args=[engagement.pk, alternative.pk, "submitted"])
    response = second.post(submit, {"csrfmiddlewaretoken": second_tokens.pop(), "comment": ""})
    assert response.status_code == 302
    alternative.refresh_from_db()
    assert alternative.status == "submitted"
    # ... and the page shows the new status at once (a new data generation).
    html = first.get(url).content.decode()
    assert alternative.get_status_display() in html
    assert "市に提出する" in first_html and "市に提出する" not in html


def test_each_role_is_served_its_own_page(login, engagement, alternative, contractor,
                                          city_user):
    url = reverse("proposals:alternative_detail", args=[engagement.pk, alternative.pk])
    for _twice in range(2):
        contractor_html = login(contractor).get(url).content.decode()
        city_html = login(city_user).get(url).content.decode()
        assert "レイアウトを編集" in contractor_html and "レイアウトを編集" not in city_html
        assert "レイアウトを見る" in city_html


def test_a_cached_page_is_not_served_to_another_engagements_member(
        login, engagement, alternative, contractor, outsider):
    url = reverse("proposals:alternative_detail", args=[engagement.pk, alternative.pk])
    assert login(contractor).get(url).status_code == 200  # now cached
    assert login(outsider).get(url).status_code == 404
