"""Breadcrumbs come from the view (``EngagementMixin.get_breadcrumbs``) and end with the page
itself: on every page of procurement, disposal and reports the last step is the current page
(aria-current="page") and a sub-page links back to its stage, so the stage is never shown as
the current page of one of its sub-pages. No template defines a breadcrumbs block of its own
(base.html has none, so such a block was never rendered)."""

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, get_resolver, reverse
from django.views.generic.base import TemplateResponseMixin

from disposal.choices import ItemStatus, Outcome
from disposal.models import ReuseOffer
from engagements.stages import STAGES
from procurement.models import InstallationDay, Position
from tests.disposal.conftest import (  # noqa: F401 (fixtures)
    collector,
    disposer,
    make_item,
    make_manifest,
    make_transfer,
    ward,
)
from tests.procurement.conftest import (  # noqa: F401 (fixtures)
    approved,
    catalogue,
    floor,
    lines,
    make_order,
    plan,
    suppliers,
)

pytestmark = pytest.mark.django_db

APPS = ("procurement", "disposal", "reports")
# Views rendering a part of a page (polled by the page's script), not a page.
PARTS = {"reports:builds"}


class TrailReader(HTMLParser):
    """The steps of the page's breadcrumb trail (the labelled nav holding an
    ``ol.breadcrumb``): (label, href or None, aria-current)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_nav = self.in_trail = False
        self.steps: list[list] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav" and a.get("aria-label"):
            self.in_nav = True
        elif self.in_nav and tag == "ol" and "breadcrumb" in (a.get("class") or "").split():
            self.in_trail = True
        elif self.in_trail and tag == "li":
            self.steps.append(["", None, a.get("aria-current")])
        elif self.in_trail and tag == "a" and self.steps:
            self.steps[-1][1] = a.get("href")

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_nav = self.in_trail = False

    def handle_data(self, data):
        if self.in_trail and self.steps:
            self.steps[-1][0] += data.strip()


def trail_of(response) -> list[tuple[str, str | None, str | None]]:
    reader = TrailReader()
    reader.feed(response.content.decode())
    return [tuple(step) for step in reader.steps]


def pages(app: str):
    """The app's URL patterns whose view renders a template (downloads and POST-only
    endpoints are not pages): (name, pattern)."""
    _prefix, resolver = get_resolver().namespace_dict[app]
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern), pattern
        view_class = getattr(pattern.callback, "view_class", None)
        if (view_class is not None and issubclass(view_class, TemplateResponseMixin)
                and "get" in view_class.http_method_names):
            yield f"{app}:{pattern.name}", pattern


@pytest.fixture
def objects(request, engagement, city_user, contractor):
    """One object of each kind a page of the three apps shows (with the procurement and
    disposal tests' fixtures)."""
    f = {name: request.getfixturevalue(name) for name in (
        "plan", "lines", "make_order", "make_item", "make_transfer", "make_manifest")}
    order = f["make_order"]({f["lines"]["desk"]: 2})
    day = InstallationDay.objects.create(
        engagement=engagement, date=dt.date(2026, 10, 21), starts_at=dt.time(9),
        ends_at=dt.time(17), planned="机の設置", workers="2名")
    item = f["make_item"](status=ItemStatus.DECIDED, outcome=Outcome.TRANSFER)
    transfer = f["make_transfer"](items=[item])
    manifest = f["make_manifest"](items=[f["make_item"](status=ItemStatus.DECIDED,
                                              outcome=Outcome.SCRAP)])
    offer = ReuseOffer.objects.create(engagement=engagement, title="照会", created_by=city_user,
                                      circulated_on=dt.date(2026, 9, 1),
                                      respond_by=dt.date(2026, 9, 18))
    offer.items.set([f["make_item"](status=ItemStatus.PROPOSED)])
    position = Position.objects.filter(line__plan=f["plan"]).order_by("label").first()
    # The object each page's ``pk`` names, by URL name.
    return {
        "procurement:order_detail": order, "procurement:position_cabling": position,
        "procurement:day_update": day,
        "disposal:transfer": transfer, "disposal:manifest": manifest,
        "disposal:offer": offer, "disposal:item": item,
    }


def object_for(name: str, objects: dict):
    if name in objects:
        return objects[name]
    app, url_name = name.split(":")
    for prefix in ("transfer", "manifest", "offer", "item"):
        if url_name.startswith(prefix + "_"):
            return objects[f"{app}:{prefix}"]
    raise AssertionError(f"no object for {name}'s pk: add one to the objects fixture")


def get_page(client, users, path):
    """The page as the first of ``users`` allowed to see it."""
    for user in users:
        client.force_login(user)
        response = client.get(path)
        if response.status_code != 403:
            return response
    raise AssertionError(f"nobody may see {path}")


def test_every_page_ends_its_trail_with_itself_and_a_sub_page_links_to_its_stage(
        client, engagement, objects, contractor, city_user, administrator):
    users = [contractor, city_user, administrator]
    rendered = set()
    for app in APPS:
        stage = STAGES[app]
        stage_url = reverse(stage.url_name, args=[engagement.pk])
        for name, pattern in pages(app):
            if name in PARTS:
                continue
            kwargs = {"engagement_pk": engagement.pk}
            if "pk" in pattern.pattern.converters:
                kwargs["pk"] = object_for(name, objects).pk
            path = reverse(name, kwargs=kwargs)
            response = get_page(client, users, path)
            if response.status_code == 302:  # a POST endpoint sends a GET to its page
                continue
            assert response.status_code == 200, (name, response.status_code)
            rendered.add(name)

            trail = trail_of(response)
            crumbs = response.context["breadcrumbs"]
            current = [step for step in trail if step[2] == "page"]
            assert len(current) == 1 and trail[-1] == current[0], (name, trail)
            assert trail[-1][1] is None, (name, trail)
            assert crumbs[-1].url == "" and str(crumbs[-1].label) == trail[-1][0], name
            if path == stage_url:
                assert trail[-1][0] == str(stage.label), (name, trail)
            else:
                assert trail[-1][0], (name, trail)
                assert (str(stage.label), stage_url, None) in trail, (name, trail)
                assert trail[-1][0] != str(stage.label), (name, trail)
    # The walk reached every page (no fixture left one of them out).
    assert rendered >= {
        "procurement:index", "procurement:plan", "procurement:positions", "procurement:tablet",
        "procurement:order_list", "procurement:order_detail", "procurement:inspection",
        "procurement:cabling", "procurement:position_cabling", "procurement:days",
        "procurement:day_update",
        "disposal:index", "disposal:item_create", "disposal:item_detail",
        "disposal:item_update", "disposal:transfer_list", "disposal:transfer_detail",
        "disposal:waste", "disposal:manifest_detail", "disposal:offer_list",
        "disposal:offer_detail", "disposal:reconciliation",
        "reports:index", "reports:settings", "reports:texts",
    }, rendered


def test_an_object_page_names_its_object_after_its_list(client, engagement, objects, contractor):
    """Given an order and a transfer, their pages' trails run stage › list › the object."""
    client.force_login(contractor)
    order = objects["procurement:order_detail"]
    response = client.get(reverse("procurement:order_detail", args=[engagement.pk, order.pk]))
    assert [label for label, _href, _current in trail_of(response)][-3:] == [
        str(STAGES["procurement"].label), "見積・発注", order.title]
    transfer = objects["disposal:transfer"]
    response = client.get(reverse("disposal:transfer_detail", args=[engagement.pk,
                                                                    transfer.pk]))
    assert [step[:2] for step in trail_of(response)][-2:] == [
        ("移設", reverse("disposal:transfer_list", args=[engagement.pk])),
        (str(transfer.destination), None)]


def test_the_members_page_is_the_current_page(client, engagement, administrator):
    client.force_login(administrator)
    response = client.get(reverse("engagements:members", args=[engagement.pk]))
    assert trail_of(response)[-1] == ("メンバー", None, "page")


def test_no_template_defines_a_breadcrumbs_block():
    """base.html renders the view's ``breadcrumbs``; a template's own block would be dead."""
    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root)) for path in root.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "block breadcrumbs" in path.read_text()
    ]
    assert not offenders, offenders
