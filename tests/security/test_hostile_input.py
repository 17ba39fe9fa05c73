"""Hostile input never reaches a 500, and nothing is written when it is refused.

Every URL pattern inside an engagement that answers POST is found by walking the URL conf
(``get_resolver()``), never from a list. Its ids are filled with real objects of the demo
engagement, found by crawling the engagement's pages as its members (the links and form
actions name them); with the same objects under ANOTHER engagement's URL; and with junk ids.
Each role (city, contractor, administrator, and an outsider who belongs to another engagement
only) posts generated input (hypothesis) to the forms the pages render for that URL (and the
fields of the view's ``form_class``): huge text, NUL, negative and huge numbers, dates before
Meiji and at the calendar's end, a junk ``next`` after a valid change, and for the views that
read a JSON body, deep, huge and non-finite JSON.

Then: no response is a 500; and when the response refused the post (4xx, a page re-rendered
with errors, or a redirect carrying only an error message), no table changed: a fingerprint of
row count and largest key per table, history tables included (every change of a domain row
writes a history row, so an update shows in its count too).
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from engagements.choices import Role
from engagements.models import Engagement
from engagements.services import membership_set
from tests.html_forms import PageReader

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("hostile_input")]

# --- The URL conf, walked ---------------------------------------------------------------------
@dataclass(frozen=True)
class Endpoint:
    name: str                 # "survey:desk_update"
    view: type
    kwargs: tuple[str, ...]   # ("engagement_pk", "pk")
    str_kwargs: tuple[str, ...]
    route: str                # "engagements/<int:engagement_pk>/survey/desks/<int:pk>/"

    @property
    def reads_json(self) -> bool:
        """A view that reads the raw body is a JSON endpoint."""
        try:
            return "request.body" in inspect.getsource(self.view)
        except (OSError, TypeError):
            return False

    def __str__(self):
        return self.name


def _walk(patterns, namespace, converters, route=""):
    for pattern in patterns:
        found = {**converters, **pattern.pattern.converters}
        here = route + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, ns, found, here)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name,
                   pattern.callback, found, here)


def engagement_post_endpoints() -> list[Endpoint]:
    """Every named pattern with an ``engagement_pk`` whose view answers POST."""
    endpoints = {}
    for name, callback, converters, route in _walk(get_resolver().url_patterns, "", {}):
        view = getattr(callback, "view_class", None)
        if "engagement_pk" not in converters or view is None:
            continue
        if not hasattr(view, "post") or "post" not in view.http_method_names:
            continue
        str_kwargs = tuple(k for k, c in converters.items() if type(c).__name__ != "IntConverter")
        endpoints[name] = Endpoint(name, view, tuple(converters), str_kwargs, route)
    return sorted(endpoints.values(), key=lambda e: e.name)


ENDPOINTS = engagement_post_endpoints()


# --- Crawling the demo engagement: real ids and the forms as rendered -------------------------
# Pages not fetched while crawling (files, workbooks, PDFs: slow to make and no forms).
NOT_CRAWLED = re.compile(r"pdf|excel|export|zip|download|file|print|csv|receipt|media|image")


# Pages of one view fetched (objects in different states show different forms).
PAGES_PER_VIEW = 1


@dataclass
class World:
    engagement: Engagement
    other: Engagement
    clients: dict
    kwargs: dict = field(default_factory=dict)   # url name -> kwargs of a real object
    forms: dict = field(default_factory=dict)    # url name -> [{field: [values]}]
    kinds: dict = field(default_factory=dict)    # url name -> {field: input type}
    # Every example is rolled back, so each starts from this one state.
    baseline: dict = field(default_factory=dict)
    # url name -> its route, for every named pattern inside an engagement
    routes: dict = field(default_factory=lambda: {
        name: route for name, _c, converters, route in _walk(get_resolver().url_patterns, "", {})
        if "engagement_pk" in converters})


def _match(path: str, engagement_pk: int):
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    if match.kwargs.get("engagement_pk") != engagement_pk or not match.view_name:
        return None
    return match


def _crawl(world: World, client: Client, start: str) -> None:
    queue, visited, seen_urls = [start], {}, set()
    while queue:
        url = queue.pop(0)
        match = _match(url, world.engagement.pk)
        if match is None or visited.get(match.view_name, 0) >= PAGES_PER_VIEW:
            continue
        visited[match.view_name] = visited.get(match.view_name, 0) + 1
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = PageReader()
        reader.feed(response.content.decode())
        for link in reader.links:
            target = _match(link or url, world.engagement.pk)
            if target is None:
                continue
            world.kwargs.setdefault(target.view_name, target.kwargs)
            path = urlsplit(link).path
            if (path not in seen_urls and visited.get(target.view_name, 0) < PAGES_PER_VIEW
                    and not NOT_CRAWLED.search(target.view_name)):
                seen_urls.add(path)
                queue.append(path)
        for action, fields in reader.forms:
            target = _match(action or url, world.engagement.pk)
            if target is None:
                continue
            world.kwargs.setdefault(target.view_name, target.kwargs)
            data: dict = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            world.kinds.setdefault(target.view_name, {}).update(
                {name: reader.kinds.get(name, "text") for name in data})
            known = world.forms.setdefault(target.view_name, [])
            if len(known) < 4 and data not in known:
                known.append(data)


@pytest.fixture(scope="module")
def world(seeded_demo, django_db_blocker):
    """The demo (put back once for the module), an outsider, and the crawl's findings."""
    with django_db_blocker.unblock():
        engagement = Engagement.objects.get(title__startswith="働き方改革につながる職場環境")
        other = Engagement.objects.exclude(pk=engagement.pk).get(title__startswith="西京区役所")
        outsider = get_user_model().objects.create_user("hostile-outsider", password="pass")
        membership_set(engagement=other, user=outsider, role=Role.CITY_STAFF)
        users = {"city": "city", "contractor": "contractor", "administrator": "admin",
                 "outsider": "hostile-outsider"}
        clients = {}
        for role, username in users.items():
            client = Client(raise_request_exception=False)
            client.force_login(get_user_model().objects.get(username=username))
            clients[role] = client
        result = World(engagement, other, clients)
        dashboard = reverse("engagements:dashboard", args=[engagement.pk])
        for role in ("contractor", "city"):
            _crawl(result, clients[role], dashboard)
        # The administrator's own page (its other pages are the ones crawled above).
        _crawl(result, clients["administrator"],
               reverse("engagements:members", args=[engagement.pk]))
        result.baseline = fingerprint()
    yield result


# --- What changed: a cheap fingerprint of every table ----------------------------------------
NOT_FINGERPRINTED = {"sessions", "admin", "contenttypes", "axes"}


def _fingerprint_sql() -> str:
    parts = []
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in NOT_FINGERPRINTED or meta.proxy or not meta.managed:
            continue
        if model.__name__ == "StageProgressSnapshot":  # a cache, redone after every POST
            continue
        quote = connection.ops.quote_name
        pk = quote(meta.pk.column)
        parts.append(f"SELECT '{meta.db_table}', COUNT(*), MAX({pk}) FROM {quote(meta.db_table)}"
                     if meta.pk.get_internal_type() in ("AutoField", "BigAutoField",
                                                        "IntegerField", "BigIntegerField")
                     else f"SELECT '{meta.db_table}', COUNT(*), 0 FROM {quote(meta.db_table)}")
    return " UNION ALL ".join(parts)


def fingerprint() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return {table: (count, top) for table, count, top in cursor.fetchall()}


def refused(response) -> bool:
    """Whether the app said no: 4xx, a form shown again with errors, or only an error
    message before a redirect."""
    if 400 <= response.status_code < 500:
        return True
    queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    levels = {m.level for m in queued}
    if response.status_code in (301, 302, 303):
        return messages.ERROR in levels and messages.SUCCESS not in levels
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        body = response.content.decode(errors="replace")
        return "is-invalid" in body or "errorlist" in body or 'aria-invalid="true"' in body
    return False


# --- Hostile values ---------------------------------------------------------------------------
LONG_TEXT = ["x" * 3000, "あ" * 1200, "🏢" * 300, "y" * 101]
TEXT = ["x" * 3000, "あ" * 1200, "", "   ", "<script>alert(1)</script>", "=1+1", "junk",
        "'; DROP TABLE x; --", "\u202e\ufeff", "🏢" * 300]
NUMBERS = ["-1", "-2147483649", "2147483648", "9" * 60, "1e400", "NaN", "Infinity", "0",
           "1.5", "-0", "99999999999999999999.99", "0x10", "١٢", "1_000"]
DATES = ["0001-01-01", "9999-12-31", "1867-12-31", "1868-01-24", "2101-01-01", "2026-02-30",
         "2026-13-01", "20260701", "2026-07-01T25:00"]
NEXTS = ["junk", "1", "//evil.example/", "https://evil.example/", "/no/such/page/",
         "javascript:alert(1)", "/\\evil.example", "/engagements/\r\nX: y", ""]
IDS = ["abc", "-1", "0", "99999999999999999999999", "1.5", "1 OR 1=1", ""]


def _hostile_for(value: str):
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        pool = DATES + TEXT[:2]
    elif re.fullmatch(r"-?\d+(\.\d+)?", value or ""):
        pool = NUMBERS + IDS + TEXT[:1]
    else:
        pool = TEXT + NUMBERS[:4] + DATES[:2] + IDS[:1]
    return st.sampled_from(pool) | st.text(max_size=20).filter(lambda t: "\x00" not in t)


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


JSON_BODIES = [
    _deep(100_000), _deep(50), "1" + "0" * 400, '{"items": [{"x": 1e400}]}', "NaN",
    '{"items": [], "zones": [], "version": ' + "9" * 5000 + "}",
    json.dumps({"items": [{"kind": "desk", "pk": 10**40, "x": 10**30, "y": -1, "r": 1e308}]}),
    json.dumps({"items": [{"id": None, "x": 10**20, "y": 0, "label": "x" * 5000}],
                "zones": [{"kind": "x" * 500, "name": "", "x": 0, "y": 0, "w": -5, "d": 10**18}]}),
    json.dumps({"items": "x" * 100_000}), '{"items": [' + ",".join(["{}"] * 20_000) + "]}",
    "\ufeff{}", "{", '"\\ud800"', json.dumps({"version": -1, "items": [], "zones": []}),
]


# --- The test ---------------------------------------------------------------------------------
def _real_kwargs(endpoint: Endpoint, world: World) -> dict:
    """The kwargs of a real object: as crawled, else those of the longest crawled route this
    one extends (``offers/<pk>/items/<item_pk>/allocate/`` takes ``pk`` from ``offers/<pk>/``)."""
    if endpoint.name in world.kwargs:
        return dict(world.kwargs[endpoint.name])
    best: dict = {}
    for name, route in world.routes.items():
        if endpoint.route.startswith(route) and name in world.kwargs and len(
                world.kwargs[name]) > len(best):
            best = world.kwargs[name]
    return dict(best)


def _url(endpoint: Endpoint, world: World, ids: str) -> str:
    kwargs = _real_kwargs(endpoint, world)
    for name in endpoint.kwargs:
        if name not in kwargs:
            kwargs[name] = "desk" if name in endpoint.str_kwargs else 1
    kwargs["engagement_pk"] = world.other.pk if ids == "other" else world.engagement.pk
    if ids == "junk":
        for name in endpoint.kwargs:
            if name != "engagement_pk":
                kwargs[name] = "junk" if name in endpoint.str_kwargs else 10**20
    try:
        return reverse(endpoint.name, kwargs=kwargs)
    except NoReverseMatch:
        ints = {k: 1 for k in endpoint.kwargs
                if k not in endpoint.str_kwargs and k != "engagement_pk"}
        return reverse(endpoint.name, kwargs={**kwargs, **ints})


def _form_classes(view: type) -> list[type]:
    """The form classes a view uses: ``form_class`` and any ``SomethingForm(`` its code makes
    (a view that builds its form in ``post`` names no ``form_class``)."""
    from django import forms as django_forms

    found = [getattr(view, "form_class", None)]
    for klass in inspect.getmro(view):
        if klass.__module__.startswith(("django.", "builtins")):
            continue
        module = inspect.getmodule(klass)
        try:
            source = inspect.getsource(klass)
        except (OSError, TypeError):
            continue
        for dotted in re.findall(r"([\w.]*\w+Form)\(", source):
            target = module
            for part in dotted.split("."):
                target = getattr(target, part, None)
            found.append(target)
    return [f for f in dict.fromkeys(found)
            if isinstance(f, type) and issubclass(f, django_forms.BaseForm)]


def _field_kind(form_field) -> str:
    from django import forms as django_forms

    if isinstance(form_field, (django_forms.DateField, django_forms.DateTimeField)):
        return "date"
    if isinstance(form_field, (django_forms.IntegerField, django_forms.DecimalField,
                               django_forms.FloatField)):
        return "number"
    if isinstance(form_field, django_forms.ChoiceField):
        return "select"
    return "text"


def _base_forms(endpoint: Endpoint, world: World) -> list[dict]:
    """The forms rendered for this url, each completed with its form classes' fields."""
    forms = [dict(f) for f in world.forms.get(endpoint.name, [])] or [{}]
    kinds = world.kinds.setdefault(endpoint.name, {})
    for form_class in _form_classes(endpoint.view):
        for name, form_field in form_class.base_fields.items():
            kinds.setdefault(name, _field_kind(form_field))
            for form in forms:
                if not any(key == name or key.endswith(f"-{name}") for key in form):
                    initial = form_field.initial
                    form[name] = ["" if initial is None or callable(initial) else str(initial)]
    return forms


@pytest.fixture
def raised():
    """The exception behind a 500, as the request handler saw it."""
    seen = []

    def record(sender, request=None, **kwargs):
        seen.append(sys.exc_info()[1])

    got_request_exception.connect(record)
    yield seen
    got_request_exception.disconnect(record)


# Input types that take free text, numbers and dates, as the pages render them.
KIND_POOLS = {
    "text": (("text", "textarea", "email", "search", "tel", "url", "password"), LONG_TEXT),
    "numbers": (("number",), NUMBERS),
    "dates": (("date", "datetime-local"), DATES),
}


def _post(draw, endpoint: Endpoint, world: World, role: str):
    """One hostile post: the url (real, other engagement's or junk ids) and its body.

    Modes: ``next`` posts the form as rendered with a junk ``next`` (a valid change, then the
    redirect); ``one`` makes one field hostile and leaves the rest as rendered (what gets past
    a form's other checks to a service or a message); ``text``, ``numbers`` and ``dates`` make
    every field of that input type hostile (long text, numbers beyond any column, dates before
    Meiji or at the calendar's end); ``fields`` makes any fields hostile; ``nul`` puts a NUL in
    one field; ``json`` (views reading the body) posts a hostile body.
    """
    ids = draw(st.sampled_from(["real", "real", "other", "junk"]))
    # The first (simplest) example hypothesis tries is a valid change with a junk ``next``,
    # or for a JSON endpoint the first hostile body.
    modes = ["next", "one", "text", "dates", "numbers", "fields", "nul"]
    if endpoint.reads_json:
        modes = ["json", *modes[:2], "json"]
    mode = draw(st.sampled_from(modes))
    url = _url(endpoint, world, ids)
    form = draw(st.sampled_from(_base_forms(endpoint, world)))
    data = {k: list(v) for k, v in form.items()}
    if mode == "json":
        return url, draw(st.sampled_from(JSON_BODIES)), "application/json"
    names = sorted(data) or ["q"]
    kinds = world.kinds.get(endpoint.name, {})
    if mode in KIND_POOLS:
        types, pool = KIND_POOLS[mode]
        typed = [name for name in names if kinds.get(name) in types]
        for name in typed:
            data[name] = [draw(st.sampled_from(pool))]
        mode = "one" if not typed else mode
    if mode == "nul":
        name = draw(st.sampled_from(names))
        data[name] = ["A-12\x00" + (data.get(name) or [""])[0]]
    elif mode == "one":
        name = draw(st.sampled_from(names))
        data[name] = [draw(_hostile_for((data.get(name) or [""])[0]))]
    elif mode == "fields":
        for name in names:
            if draw(st.booleans()):
                data[name] = [draw(_hostile_for((data.get(name) or [""])[0]))]
    data["next"] = [draw(st.sampled_from(NEXTS))]
    return url, {k: v if len(v) > 1 else v[0] for k, v in data.items()}, None


# Examples per endpoint and role: an outsider is refused at the door (404) whatever it posts.
EXAMPLES = {"city": 2, "contractor": 2, "administrator": 1, "outsider": 1}


@pytest.mark.parametrize("role", list(EXAMPLES))
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_hostile_posts_never_fail_and_refusals_write_nothing(world, endpoint, role, raised):
    client = world.clients[role]
    before = world.baseline

    @settings(max_examples=EXAMPLES[role], derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def post_hostile_input(data):
        url, body, content_type = _post(data.draw, endpoint, world, role)
        raised.clear()
        with transaction.atomic():
            if content_type:
                response = client.post(url, body, content_type=content_type)
            else:
                response = client.post(url, body)
            assert response.status_code < 500, (url, body if len(repr(body)) < 3000 else
                                                repr(body)[:3000])
            if refused(response):
                after = fingerprint()
                changed = {t: (before.get(t), after[t]) for t in after if after[t] != before.get(t)}
                assert not changed, (url, response.status_code, changed,
                                     repr(body)[:2000])
            transaction.set_rollback(True)

    post_hostile_input()


def test_the_walk_finds_the_forms_of_every_stage(world):
    """The URL conf walk and the crawl reach each stage's writes (a guard on the test)."""
    names = {e.name for e in ENDPOINTS}
    assert {"survey:desk_update", "survey:floor_plan_save", "proposals:alternative_editor",
            "engagements:members", "disposal:offer_allocate",
            "survey:occupancy_rounds_generate"} <= names
    assert len(ENDPOINTS) > 60
    crawled = set(world.forms) & names
    assert len(crawled) > len(names) // 2, sorted(names - crawled)


# --- The probe's 500s, one by one (issue 22) --------------------------------------------------
def _client_post(world, role, name, data, content_type=None, **kwargs):
    url = reverse(name, kwargs={**_real_kwargs_by_name(world, name), **kwargs})
    client = world.clients[role]
    if content_type:
        return client.post(url, data, content_type=content_type)
    return client.post(url, data)


def _real_kwargs_by_name(world, name):
    endpoint = next(e for e in ENDPOINTS if e.name == name)
    return _real_kwargs(endpoint, world)


def _form(world, name, must_have):
    return {k: v if len(v) > 1 else v[0] for k, v in next(
        f for f in world.forms[name] if must_have in f).items()}


@pytest.mark.parametrize("junk", ["junk", "1", "/no/such/page/", "//evil.example/x",
                                  "/engagements/\r\nSet-Cookie: x=y"])
def test_a_junk_next_after_a_saved_change_goes_to_the_default_page(world, junk):
    # given a valid change of a line's height with a junk ``next``
    data = {**_form(world, "procurement:line_update", "height_mm"), "next": junk}
    # when the contractor saves it
    response = _client_post(world, "contractor", "procurement:line_update", data)
    # then the change is made and the redirect goes to the stage's page, not to ``junk``
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:index", args=[world.engagement.pk])


def test_a_same_site_next_that_resolves_is_followed(world):
    back = reverse("procurement:plan", args=[world.engagement.pk]) + "?floor=1"
    data = {**_form(world, "procurement:line_update", "height_mm"), "next": back}
    response = _client_post(world, "contractor", "procurement:line_update", data)
    assert response["Location"] == back


@pytest.mark.parametrize("day", ["0001-01-01", "1868-01-24", "2101-01-01", "9999-12-31"])
def test_occupancy_rounds_outside_meiji_to_2100_are_refused_with_a_japanese_message(world, day):
    # given the round plan form with a first day outside the dates the app writes
    data = {**_form(world, "survey:occupancy_rounds_generate", "start_date"), "start_date": day}
    before = fingerprint()
    # when it is posted
    response = _client_post(world, "city", "survey:occupancy_rounds_generate", data)
    # then nothing is planned and the message says which dates are accepted
    assert response.status_code < 500
    assert fingerprint() == before
    queued = [str(m) for m in response.wsgi_request._messages._queued_messages]
    assert any("明治" in m and "2100" in m for m in queued), queued


def test_a_date_field_refuses_dates_before_meiji_next_to_the_field(world):
    from django import forms

    from engagements.forms import InputBoundsMixin

    class DayForm(InputBoundsMixin, forms.Form):
        day = forms.DateField()

    assert DayForm({"day": "1868-01-25"}).is_valid()
    assert DayForm({"day": "2100-12-31"}).is_valid()
    form = DayForm({"day": "1868-01-24"})
    assert not form.is_valid()
    assert "明治" in form.errors["day"][0]


@pytest.mark.parametrize("member", ["abc", "1.5", "-1", "99999999999999999999999", ""])
def test_a_non_numeric_member_id_is_a_404_and_changes_nothing(world, member):
    before = fingerprint()
    response = _client_post(world, "administrator", "engagements:members",
                            {"action": "role", "membership": member,
                             f"m{member}-role": "city_staff"})
    assert response.status_code == 404
    assert fingerprint() == before


def test_a_non_numeric_request_id_on_offer_allocate_is_a_404(world):
    from disposal.models import ReuseOffer

    offer = ReuseOffer.objects.filter(engagement=world.engagement).first()
    item = offer.items.first()
    before = fingerprint()
    response = _client_post(world, "city", "disposal:offer_allocate", {"request": "abc"},
                            pk=offer.pk, item_pk=item.pk)
    assert response.status_code == 404
    assert fingerprint() == before


@pytest.mark.parametrize("role,name,field", [
    ("city", "procurement:asset_numbers", "asset_"),
    ("city", "survey:storage_update", "number"),
    ("city", "survey:floor_update", "notes"),
])
def test_a_nul_in_any_text_is_refused_before_any_view(world, role, name, field):
    data = _form(world, name, next(k for f in world.forms[name] for k in f
                                    if k.startswith(field)))
    key = next(k for k in data if k.startswith(field))
    data[key] = "備-2026\x00"
    before = fingerprint()
    response = _client_post(world, role, name, data)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert fingerprint() == before


def test_a_nul_in_a_json_body_is_refused(world):
    response = _client_post(world, "city", "survey:floor_plan_save",
                            '{"items": [{"kind": "desk\\u0000", "pk": 1, "x": 0, "y": 0}]}',
                            content_type="application/json")
    assert response.status_code == 400
    assert response.json()["ok"] is False


@pytest.mark.parametrize("width", ["9" * 60, "2147483648", "-1"])
def test_a_storage_width_beyond_its_column_is_a_form_error(world, width):
    data = {**_form(world, "survey:storage_update", "width_mm"), "width_mm": width}
    before = fingerprint()
    response = _client_post(world, "city", "survey:storage_update", data)
    assert response.status_code in (200, 400)
    assert 'aria-invalid="true"' in response.content.decode()
    assert fingerprint() == before


@pytest.mark.parametrize("quote", ["abc", "99999999999999999999", "-5", "1e3"])
def test_a_text_or_huge_quote_id_on_the_quote_file_form_is_refused(world, quote):
    before = fingerprint()
    response = _client_post(world, "contractor", "procurement:order_detail",
                            {"step": "quote_file", "quote": quote, "version": "0"},
                            pk=_first_order_pk(world))
    assert 400 <= response.status_code < 500
    assert fingerprint() == before


def _first_order_pk(world):
    from procurement.models import Order

    return Order.objects.filter(engagement=world.engagement).order_by("pk").first().pk


@pytest.mark.parametrize("body", [
    "[" * 100_000 + "]" * 100_000,
    '{"items": ' + "[" * 30 + "]" * 30 + "}",
    '{"items": [{"kind": "desk", "pk": 1, "x": ' + "1" + "0" * 400 + ', "y": 0}]}',
    '{"items": [{"kind": "desk", "pk": 1, "x": 1e400, "y": 0}]}',
    '{"items": [{"kind": "desk", "pk": 1, "x": NaN, "y": 0}]}',
])
@pytest.mark.parametrize("name", ["survey:floor_plan_save", "proposals:alternative_editor"])
def test_deep_huge_or_non_finite_json_is_a_400_in_japanese(world, name, body):
    before = fingerprint()
    role = "city" if name.startswith("survey:") else "contractor"
    response = _client_post(world, role, name, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert any(any("\u3040" <= c <= "\u30ff" for c in e) for e in response.json()["errors"])
    assert fingerprint() == before


def test_a_json_endpoint_refuses_a_form_encoded_body(world):
    response = _client_post(world, "city", "survey:floor_plan_save", {"items": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("position", ["abc", "²", "-1", "99999999999999999999999"])
def test_junk_position_ids_on_the_tablet_are_refused_not_a_500(world, position):
    before = fingerprint()
    response = _client_post(world, "contractor", "procurement:tablet",
                            {"target": "delivered", "positions": [position],
                             "anchored": [position]})
    assert response.status_code < 500
    assert refused(response)
    assert fingerprint() == before


@settings(max_examples=200, derandomize=True, database=None)
@given(day=st.dates(), western=st.booleans(), english=st.booleans())
def test_the_era_conversion_never_raises(day, western, english):
    from engagements.wareki import format_fiscal_year, format_wareki

    assert str(day.day) in format_wareki(day, western=western, english=english)
    assert format_fiscal_year(day.year, english=english)


def test_dates_before_meiji_are_written_in_the_western_calendar():
    import datetime as dt

    from engagements.wareki import format_wareki

    assert format_wareki(dt.date(1, 1, 1)) == "1年1月1日"
    assert format_wareki(dt.date(1868, 1, 24)) == "1868年1月24日"
    assert format_wareki(dt.date(1868, 1, 25)) == "明治元年1月25日"


def test_every_form_of_the_app_bounds_its_input():
    """A new form without ``InputBoundsMixin`` (directly or through BootstrapWidgetsMixin)
    would accept 0001-01-01 or a 60-digit number: it fails here."""
    import importlib
    import pkgutil

    from django import forms as django_forms

    from engagements.forms import InputBoundsMixin

    project = ("engagements", "survey", "proposals", "procurement", "disposal", "meetings",
               "reports")
    for app in project:
        package = importlib.import_module(f"{app}.forms")
        for module in pkgutil.iter_modules(getattr(package, "__path__", [])):
            importlib.import_module(f"{app}.forms.{module.name}")
        importlib.import_module(f"{app}.urls")  # views, and any form defined beside them

    def subclasses(klass):
        for sub in klass.__subclasses__():
            yield sub
            yield from subclasses(sub)

    unbounded = sorted(f"{k.__module__}.{k.__name__}" for k in subclasses(django_forms.BaseForm)
                       if k.__module__.split(".")[0] in project
                       and not issubclass(k, InputBoundsMixin))
    assert not unbounded
