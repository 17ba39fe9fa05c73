"""No page offers a role what it cannot do: every submit button and every link on the main
pages of the demo engagement leads to a view the signed-in member's role may use."""

import re

import pytest
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from engagements.models import Engagement, Membership
from engagements.permissions import role_can
from tests.conftest import DEMO_GROUP

# The demo is loaded once for the module (``seeded_demo``); each test reads it in its own
# rolled-back transaction.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo"),
              pytest.mark.xdist_group(DEMO_GROUP)]


@pytest.fixture
def demo(db):
    return Engagement.objects.order_by("pk").first()


def _pages(engagement) -> list[str]:
    from meetings.models import ApprovalRequest, Meeting
    from proposals.models import Alternative, Proposal
    from survey.models import Desk, Floor

    base = f"/engagements/{engagement.pk}"
    pages = [f"{base}/", f"{base}/about/"] + [
        f"{base}/{stage}/" for stage in
        ("survey", "proposals", "procurement", "disposal", "meetings", "report")
    ] + [f"{base}/survey/{p}/" for p in ("desks", "storage", "occupancy", "questionnaire",
                                         "staffing", "excel/import", "analysis")]
    pages += [f"{base}/meetings/{p}/" for p in ("approvals", "action-items", "suggestions")]
    pages += [f"{base}/survey/desks/{d.pk}/" for d in Desk.objects.filter(
        engagement=engagement)[:2]]
    pages += [f"{base}/survey/floors/{f.pk}/plan/" for f in Floor.objects.filter(
        engagement=engagement)]
    pages += [f"{base}/proposals/{p.pk}/" for p in Proposal.objects.filter(
        engagement=engagement)]
    alternatives = Alternative.objects.filter(proposal__engagement=engagement)
    pages += [f"{base}/proposals/alternatives/{a.pk}/" for a in alternatives]
    pages += [f"{base}/meetings/{m.pk}/" for m in Meeting.objects.filter(
        engagement=engagement)]
    pages += [f"{base}/meetings/approvals/{a.pk}/" for a in ApprovalRequest.objects.filter(
        engagement=engagement)]
    return pages


def _offers(html: str):
    """(method, target) of every link and of every form with a submit button."""
    for href in re.findall(r'<a\b[^>]*\bhref="(/engagements/[^"#]*)"', html):
        yield "get", href
    for attrs, body in re.findall(r"<form\b([^>]*)>(.*?)</form>", html, flags=re.S):
        method = re.search(r'method="(\w+)"', attrs)
        if not method or method.group(1).lower() != "post":
            continue
        if not re.search(r'<button(?![^>]*type="button")|type="submit"', body):
            continue  # a read-only form: nothing to send
        action = re.search(r'action="([^"]*)"', attrs)
        yield "post", action.group(1) if action else None


def _required(method: str, target: str, user):
    match = resolve(target.split("?")[0])
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not hasattr(view_class, "get_required_action"):
        return None, match
    request = getattr(RequestFactory(), method)(target)
    request.user = user
    view = view_class()
    view.setup(request, **match.kwargs)
    return view.get_required_action(), match


@pytest.mark.parametrize("username", ["city", "contractor", "admin"])
def test_no_page_offers_what_the_role_cannot_do(client, demo, username):
    membership = Membership.objects.select_related("user").get(engagement=demo,
                                                                user__username=username)
    client.force_login(membership.user)
    offered_in_vain = []
    for page in _pages(demo):
        response = client.get(page)
        assert response.status_code == 200, page
        for method, target in _offers(response.content.decode()):
            target = target or page
            try:
                action, _match = _required(method, target, membership.user)
            except Resolver404:
                offered_in_vain.append(f"{page}: {method} {target} does not exist")
                continue
            if action is not None and not role_can(membership.role, action):
                offered_in_vain.append(f"{page}: {method} {target} needs {action}")
    assert offered_in_vain == []


def test_the_import_page_tells_the_contractor_why_there_is_no_upload(client, demo):
    client.force_login(Membership.objects.get(engagement=demo, user__username="contractor").user)
    html = client.get(f"/engagements/{demo.pk}/survey/excel/import/").content.decode()
    assert "アップロード" not in html
    assert "閲覧のみ" in html


def test_a_read_only_survey_form_says_why(client, demo):
    from survey.models import Desk

    desk = Desk.objects.filter(engagement=demo).first()
    client.force_login(Membership.objects.get(engagement=demo, user__username="contractor").user)
    html = client.get(f"/engagements/{demo.pk}/survey/desks/{desk.pk}/").content.decode()
    assert "閲覧のみ" in html and "市職員" in html
    assert "<fieldset disabled>" in html
