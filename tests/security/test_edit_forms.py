"""Every edit form of the app refuses a save from a stale page (issue 22): the registry.

The README promises that "a form saved after somebody else saved the same record is refused
with the current values". This module proves it for every edit form, found from the code:

- ``test_every_form_page_is_in_the_registry`` walks the URL conf: every page of the project's
  apps that shows a form and takes its post (a view with ``get`` and ``post``), and every
  ``ModelForm`` of the project's apps, must be in ``EDIT_FORMS`` (and so raced below) or in
  ``NOT_EDIT_FORMS`` with the reason it has nothing to lose (it only creates, or has no
  persistent record of its own). A new edit page or model form fails until it is raced here.
- ``test_a_stale_save_is_refused`` opens each edit form twice as a permitted user (two
  sessions, two GETs), saves the first, then saves the second: the second is refused with
  the stale message, and the first save's value is what the database holds.

The demo (``seed_demo``) provides a record of every kind; it is loaded once for the module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from engagements.choices import Role
from engagements.concurrency import VersionFormMixin
from engagements.models import Engagement, Membership

from .conftest import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo"),
              pytest.mark.xdist_group("seeded_demo")]

STALE = "他の人が保存しました"
ROOT = Path(settings.BASE_DIR)


@dataclass
class Edit:
    """One edit form: where it is, who edits it, the field both sessions change, and how to
    read that field back from the database."""

    url: Callable[[Engagement], str]            # the page showing the form
    role: str
    field: str                                  # the posted field both sessions change
    read: Callable[[Engagement], object]        # the stored value of that field
    values: tuple[str, str] = ("Aの変更", "Bの変更")
    marker: str = "version"                     # a field only this page's edit form has
    post_to: Callable[[Engagement], str] | None = None   # when the form posts elsewhere
    arrange: Callable[[Engagement], None] | None = None  # put the record in an editable state
    stored: tuple[object, object] | None = None  # the values as read back, when not the posted
    extra: dict = field(default_factory=dict)    # other fields the save needs


# --- Records of the demo ------------------------------------------------------------------------
def _first(model_path: str, **filters):
    model = apps.get_model(model_path)
    return lambda e: model._default_manager.filter(**filters).filter(
        **_scope(model, e)).order_by("pk").first()


def _scope(model, engagement) -> dict:
    names = {f.name for f in model._meta.get_fields()}
    if "engagement" in names:
        return {"engagement": engagement}
    if "study" in names:
        return {"study__engagement": engagement}
    if "meeting" in names:
        return {"meeting__engagement": engagement}
    if "proposal" in names:
        return {"proposal__engagement": engagement}
    raise AssertionError(model)


def _url(name: str, record: Callable):
    """The page of ``name`` for the demo's record ``record(engagement)``."""
    def build(engagement):
        obj = record(engagement)
        assert obj is not None, f"the demo has no record for {name}"
        return reverse(name, kwargs={"engagement_pk": engagement.pk, "pk": obj.pk})
    return build


def _attr(record: Callable, name: str):
    def read(engagement):
        obj = record(engagement)
        obj.refresh_from_db()
        return getattr(obj, name)
    return read


desk = _first("survey.Desk")
unit = _first("survey.StorageUnit")
floor = _first("survey.Floor")
furniture = _first("survey.Furniture")
room = _first("survey.Room")
study = _first("survey.OccupancyStudy")
proposal = _first("proposals.Proposal")
alternative = _first("proposals.Alternative")
catalogue_item = _first("proposals.CatalogueItem")
def meeting(engagement):
    """A meeting whose minutes are not confirmed (confirmed minutes freeze the meeting)."""
    return apps.get_model("meetings.Meeting").objects.filter(engagement=engagement).exclude(
        minutes_versions__status="confirmed").order_by("pk").first()



minutes = _first("meetings.Minutes")
item = _first("disposal.DisposalItem")
day = _first("procurement.InstallationDay")
position = _first("procurement.Position", status="inspected")
cabled = _first("procurement.Position")


def _staffing(engagement):
    return apps.get_model("survey.SectionStaffing").objects.filter(
        engagement=engagement).order_by("pk").first()


def _round(engagement):
    return apps.get_model("survey.OccupancyRound").objects.filter(
        study__engagement=engagement, observations__isnull=False).order_by("pk").first()


def _observed_desk(engagement):
    return _round(engagement).observations.order_by("desk__number").first().desk_id


def _observation_state(engagement):
    return _round(engagement).observations.get(desk_id=_observed_desk(engagement)).state


def _report_text(engagement):
    return apps.get_model("reports.ReportText").objects.filter(
        engagement=engagement, chapter="summary").first().findings


def _minutes_draft(engagement):
    apps.get_model("meetings.Minutes").objects.filter(pk=minutes(engagement).pk).update(
        status="draft")


def _item_new(engagement):
    """The contractor edits an item's facts before the city decides it."""
    apps.get_model("disposal.DisposalItem").objects.filter(pk=item(engagement).pk).update(
        status="new", outcome="")


def _engagement_itself(engagement):
    return engagement


EDIT_FORMS: dict[str, Edit] = {
    # --- survey
    "survey:floor_update": Edit(_url("survey:floor_update", floor), Role.CITY_STAFF, "notes",
                                _attr(floor, "notes")),
    "survey:desk_update": Edit(_url("survey:desk_update", desk), Role.CITY_STAFF, "notes",
                               _attr(desk, "notes")),
    "survey:storage_update": Edit(_url("survey:storage_update", unit), Role.CITY_STAFF, "notes",
                                  _attr(unit, "notes")),
    "survey:furniture_update": Edit(_url("survey:furniture_update", furniture),
                                    Role.CITY_STAFF, "notes", _attr(furniture, "notes")),
    "survey:room_update": Edit(_url("survey:room_update", room), Role.CITY_STAFF, "name",
                               _attr(room, "name"), values=("A会議室", "B会議室")),
    "survey:staffing": Edit(
        lambda e: reverse("survey:staffing", args=[e.pk]), Role.CITY_STAFF,
        "section_{section}", _attr(_staffing, "headcount"), values=("31", "32"),
        marker="version_{section}", stored=(31, 32)),
    "survey:occupancy_study_update": Edit(
        lambda e: reverse("survey:occupancy_study_update", args=[e.pk, study(e).pk]),
        Role.CITY_STAFF, "notes", _attr(study, "notes")),
    "survey:occupancy_round": Edit(
        lambda e: reverse("survey:occupancy_round",
                          args=[e.pk, _round(e).study_id, _round(e).pk]),
        Role.CITY_STAFF, "desk_{desk}", _observation_state, values=("meeting", "away"),
        marker="versions"),
    # --- proposals
    "proposals:proposal_update": Edit(_url("proposals:proposal_update", proposal),
                                      Role.CONTRACTOR, "summary", _attr(proposal, "summary")),
    "proposals:alternative_update": Edit(
        _url("proposals:alternative_update", alternative), Role.CONTRACTOR, "alt-rationale",
        _attr(alternative, "rationale"), marker="alt-version"),
    "proposals:catalogue_update": Edit(_url("proposals:catalogue_update", catalogue_item),
                                       Role.ADMINISTRATOR, "maker",
                                       _attr(catalogue_item, "maker")),
    # --- meetings
    "meetings:meeting_update": Edit(_url("meetings:meeting_update", meeting), Role.CONTRACTOR,
                                    "place", _attr(meeting, "place")),
    "meetings:minutes_edit": Edit(_url("meetings:minutes_edit", minutes), Role.CONTRACTOR,
                                  "discussion", _attr(minutes, "discussion"),
                                  arrange=_minutes_draft),
    # --- procurement
    "procurement:asset_numbers": Edit(
        lambda e: reverse("procurement:inspection", args=[e.pk]), Role.CITY_STAFF,
        "asset_{position}", _attr(position, "asset_number"), values=("A-0001", "B-0001"),
        marker="version_{position}",
        post_to=lambda e: reverse("procurement:asset_numbers", args=[e.pk])),
    "procurement:day_update": Edit(_url("procurement:day_update", day), Role.CONTRACTOR,
                                   "note", _attr(day, "note")),
    "procurement:position_cabling": Edit(
        _url("procurement:position_cabling", cabled), Role.CONTRACTOR, "requirement_reason",
        _attr(cabled, "requirement_reason")),
    # --- disposal
    "disposal:item_update": Edit(_url("disposal:item_update", item), Role.CONTRACTOR,
                                 "reason", _attr(item, "reason"), arrange=_item_new),
    # --- report
    "reports:settings": Edit(lambda e: reverse("reports:settings", args=[e.pk]),
                             Role.CITY_STAFF, "subtitle", _attr(_engagement_itself, "subtitle")),
    "reports:texts": Edit(lambda e: reverse("reports:texts", args=[e.pk]), Role.CONTRACTOR,
                          "summary-findings", _report_text, marker="summary-version"),
}

# Pages with a form that have nothing a stale page could overwrite. Keep this short: a page
# that changes a record someone else may have changed belongs in EDIT_FORMS.
NOT_EDIT_FORMS: dict[str, str] = {
    # Only create: a new row, checked for duplicates by its unique constraint (save_new).
    "proposals:index": "creates a proposal",
    "proposals:proposal_detail": "creates an alternative (the proposal is edited on "
                                 "proposal_update)",
    "disposal:offer_list": "creates a reuse offer",
    "disposal:offer_request": "creates a ward's request",
    "disposal:transfer_list": "creates a transfer",
    "meetings:suggestions": "creates a suggestion",
    "meetings:approval_detail": "adds attachments and the decision, a workflow step "
                                "(Workflow.apply refuses a request no longer in its status)",
    "procurement:cabling": "creates an OA tap",
    "procurement:days": "creates an installation day (each day is edited on day_update)",
    "procurement:order_list": "creates an order",
    "procurement:order_detail": "quotes are added; choosing and issuing carry the order's "
                                "version (tests/procurement/test_services.py)",
    "procurement:tablet": "workflow steps of positions (Workflow.apply checks the status)",
    "survey:excel_import": "an import: every row it changes bumps the row's version",
    # No persistent record of the user's own: answers are new anonymous rows, the kiosk
    # is a session state.
    "survey:questionnaire_answer": "creates an anonymous answer",
    "survey:questionnaire_kiosk_start": "session state only",
    "survey:questionnaire_kiosk_exit": "session state only",
    # Workflow steps with a form: the form carries the item's version, and Workflow.apply
    # refuses a step from a status the record has left (tests/disposal/test_views.py).
    "disposal:item_propose": "workflow step", "disposal:item_decide": "workflow step",
    "disposal:item_revise": "workflow step", "disposal:item_return": "workflow step",
    "disposal:item_waste": "workflow step", "disposal:item_sale": "workflow step",
    "disposal:transfer_carry_out": "workflow step", "disposal:transfer_cancel": "workflow step",
    "disposal:transfer_receive": "workflow step", "disposal:manifest_returns": "workflow step",
    "disposal:transfer_receipt_upload": "adds a file (the quote-file pattern: versioned)",
    "disposal:manifest_certificate": "adds a file (the quote-file pattern: versioned)",
    # The layout editor saves JSON with its version: 409 (tests/security/test_lost_updates.py).
    "proposals:alternative_editor": "JSON save with version, answered 409",
    # The members page changes one role per post, with the membership's version; a stale
    # role is refused with the current role as a message above the list (a select has no
    # typed input to keep): tests/engagements/test_members.py
    # test_a_stale_role_form_is_refused_with_the_current_role.
    "engagements:members": "role change versioned, refused as a page message",
}

# Model forms that only ever create (no edit page uses them with an existing record).
CREATE_ONLY_MODEL_FORMS: dict[str, str] = {
    "disposal.forms.OperatorForm": "operator_create",
    "meetings.forms.ApprovalRequestForm": "approval_create",
    "meetings.forms.SuggestionForm": "suggestions (create)",
    "survey.forms.questionnaire.WaveCreateForm": "questionnaire_wave_create",
    "proposals.forms.TableRowForm": "a base class (no model)",
    "proposals.forms.StyledModelForm": "a base class (no model)",
}

PROJECT_APPS = ("engagements", "survey", "proposals", "procurement", "disposal", "meetings",
                "reports")


# --- Finding the forms --------------------------------------------------------------------------
def _routes(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _routes(pattern.url_patterns, inner)
        else:
            yield namespace + (pattern.name or ""), str(pattern.pattern), pattern.callback


def form_pages() -> set[str]:
    """Every page of the project's apps that shows a form and takes its post, except those
    that only create (their path ends in ``new/``)."""
    found = set()
    for name, route, callback in _routes():
        view = getattr(callback, "view_class", None)
        if view is None or view.__module__.split(".")[0] not in PROJECT_APPS:
            continue
        methods = {m for m in view.http_method_names if hasattr(view, m)}
        if {"get", "post"} <= methods and not route.endswith("new/"):
            found.add(name)
    return found


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def model_forms() -> set[str]:
    for app in PROJECT_APPS:
        __import__(f"{app}.forms")
    return {f"{c.__module__}.{c.__name__}" for c in _subclasses(forms.BaseModelForm)
            if c.__module__.split(".")[0] in PROJECT_APPS}


def test_every_form_page_is_in_the_registry():
    pages = form_pages()
    assert len(pages) > 30  # the walk finds the pages (today: about 50)
    missing = sorted(pages - set(EDIT_FORMS) - set(NOT_EDIT_FORMS))
    assert missing == [], "edit pages without a stale-form test: add them to EDIT_FORMS"
    # nothing listed that no longer exists
    assert set(NOT_EDIT_FORMS) <= pages
    assert not set(EDIT_FORMS) & set(NOT_EDIT_FORMS)


def test_every_model_form_carries_a_version_or_only_creates():
    unversioned = sorted(
        name for name in model_forms()
        if not issubclass(_form_class(name), VersionFormMixin)
        and name not in CREATE_ONLY_MODEL_FORMS
    )
    assert unversioned == []


def _form_class(dotted: str):
    module, name = dotted.rsplit(".", 1)
    return getattr(__import__(module, fromlist=[name]), name)


# --- The race -----------------------------------------------------------------------------------
@pytest.fixture
def demo_engagement():
    return Engagement.objects.get(title__startswith="働き方改革につながる職場環境")


def _names(edit: Edit, engagement) -> dict:
    """Fills ``{section}``, ``{desk}``, ``{position}`` in the field names."""
    names = {}
    if "{section}" in edit.field:
        names["section"] = _staffing(engagement).section_id
    if "{desk}" in edit.field:
        names["desk"] = _observed_desk(engagement)
    if "{position}" in edit.field:
        names["position"] = position(engagement).pk
    return names


def _session(engagement, role):
    membership = Membership.objects.filter(engagement=engagement, role=role).order_by("pk").first()
    assert membership is not None, f"the demo has no {role}"
    client = Client()
    client.force_login(membership.user)
    return client


@pytest.mark.parametrize("name", sorted(EDIT_FORMS))
def test_a_stale_save_is_refused(name, demo_engagement):
    edit = EDIT_FORMS[name]
    engagement = demo_engagement
    if edit.arrange:
        edit.arrange(engagement)
    names = _names(edit, engagement)
    field_name, marker = edit.field.format(**names), edit.marker.format(**names)
    url = edit.url(engagement)
    post_to = edit.post_to(engagement) if edit.post_to else url
    # given two sessions that opened the same form
    a, b = _session(engagement, edit.role), _session(engagement, edit.role)
    page_a, page_b = a.get(url), b.get(url)
    assert page_a.status_code == page_b.status_code == 200
    data_a = form_data(page_a.content.decode(), marker)
    data_b = form_data(page_b.content.decode(), marker)
    assert field_name in data_a, f"{field_name} not on the form"
    value_a, value_b = edit.values
    stored_a, stored_b = edit.stored or edit.values
    # when the first saves
    data_a.update({field_name: value_a, **edit.extra})
    response_a = a.post(post_to, data_a)
    assert response_a.status_code == 302, _errors(response_a)
    assert edit.read(engagement) == stored_a
    # and then the second saves from its page opened before that
    data_b.update({field_name: value_b, **edit.extra})
    response_b = b.post(post_to, data_b)
    # then the second is refused with the stale message, its input kept
    assert response_b.status_code in (200, 400)
    body = response_b.content.decode()
    assert STALE in body
    assert value_b in body
    # and the database holds the first save's value
    assert edit.read(engagement) == stored_a
    assert edit.read(engagement) != stored_b


def _errors(response) -> str:
    """The form's errors of a refused save, for the assertion message."""
    context = response.context or {}
    found = [str(form.errors) for key in ("form", "forms") if key in context
             for form in ([context[key]] if key == "form" else [f for *_r, f in context[key]])]
    return f"{response.status_code}: {' '.join(found)[:2000]}"
