"""Issue 20: one way to list a status history.

``engagements.workflow.status_history(obj)`` gives the labelled rows; every page renders
them with ``templates/includes/status_history.html`` and no other template loops over
status-change rows.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disposal.choices import ItemSource, ItemStatus, Material, Outcome, WasteClass
from disposal.models import DisposalItem
from disposal.workflows import ITEM_WORKFLOW
from engagements.workflow import status_history, workflow_for
from meetings.choices import ApprovalKind, ApprovalStatus, WorkItem
from meetings.models import ApprovalRequest
from procurement.models import Order

pytestmark = pytest.mark.django_db

INCLUDE = "includes/status_history.html"
CAPTION = "状態の変更履歴"


@pytest.fixture
def item(engagement):
    return DisposalItem.objects.create(
        engagement=engagement, source=ItemSource.MANUAL, number="M01", name="事務椅子",
        reason="破損", material=Material.STEEL, waste_class=WasteClass.METAL,
        status=ItemStatus.NEW, proposed_outcome=Outcome.SCRAP)


def _named(user, family, given):
    user.last_name, user.first_name = family, given
    user.save(update_fields=["last_name", "first_name"])
    return user


def test_rows_of_an_object_after_two_transitions(item, contractor, city_user):
    # given an item proposed by the contractor and returned by the city
    _named(contractor, "山田", "太郎")
    _named(city_user, "鈴木", "花子")
    ITEM_WORKFLOW.apply(item, ItemStatus.PROPOSED, actor=contractor, comment="廃棄を提案")
    ITEM_WORKFLOW.apply(item, ItemStatus.NEW, actor=city_user, comment="写真を付けてください")
    # when its history is read (one query, the actor joined)
    with CaptureQueriesContext(connection) as queries:
        rows = status_history(item)
        names = [r.actor_name for r in rows]
    assert len(queries) == 1
    # then the two rows, oldest first, with the labels of the model's choices in Japanese
    assert [(r.old_label, r.new_label) for r in rows] == [
        (str(ItemStatus.NEW.label), str(ItemStatus.PROPOSED.label)),
        (str(ItemStatus.PROPOSED.label), str(ItemStatus.NEW.label)),
    ]
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", rows[0].new_label)
    assert names == ["山田 太郎", "鈴木 花子"]
    assert [r.comment for r in rows] == ["廃棄を提案", "写真を付けてください"]
    assert rows[0].at <= rows[1].at
    # and newest first when a page asks for it
    assert [r.comment for r in status_history(item, newest_first=True)] == [
        "写真を付けてください", "廃棄を提案"]


def test_every_model_with_a_workflow_finds_it():
    from engagements.workflow import WORKFLOWS

    for wf in WORKFLOWS:
        assert workflow_for(wf.model) is wf


def _templates():
    roots = [Path(settings.BASE_DIR)]
    for path in roots[0].rglob("*.html"):
        parts = set(path.relative_to(roots[0]).parts)
        if parts & {".venv", "node_modules", "media", "staticfiles", "htmlcov"}:
            continue
        yield path


def test_no_template_but_the_include_loops_over_status_change_rows():
    # given every template of the project
    templates = list(_templates())
    assert any(str(path).endswith(INCLUDE) for path in templates)
    assert len(templates) > 50
    pattern = re.compile(r"status_changes|old_status|new_status|old_label|new_label")
    offenders = [
        str(path) for path in _templates()
        if not str(path).endswith(INCLUDE) and pattern.search(path.read_text(encoding="utf-8"))
    ]
    # then only the include reads status-change rows
    assert offenders == []


def _caption_count(html: str) -> int:
    return html.count('class="table table-sm align-top status-history"')


def test_pages_of_three_apps_render_the_include(client, engagement, contractor, city_user, item):
    # given an approval request, a disposal item and an order, each moved once
    approval = ApprovalRequest.objects.create(
        engagement=engagement, kind=ApprovalKind.SUBCONTRACT, status=ApprovalStatus.REQUESTED,
        requested_by=contractor, title="再委託", subcontractor="株式会社京都ファイリング",
        work_items=[WorkItem.SURVEY], reason="専門の技術が必要", requested_on=dt.date(2026, 7, 15))
    ITEM_WORKFLOW.apply(item, ItemStatus.PROPOSED, actor=contractor, comment="廃棄を提案")
    order = Order.objects.create(engagement=engagement, title="什器", created_by=contractor)
    client.force_login(city_user)
    pages = {
        "meetings": reverse("meetings:approval_detail", args=[engagement.pk, approval.pk]),
        "disposal": reverse("disposal:item_detail", args=[engagement.pk, item.pk]),
        "procurement": reverse("procurement:order_detail", args=[engagement.pk, order.pk]),
    }
    for app, page in pages.items():
        # when each page is opened
        response = client.get(page)
        html = response.content.decode()
        # then it renders the one include (its table and caption)
        assert response.status_code == 200, app
        assert INCLUDE in [t.name for t in response.templates], app
        assert _caption_count(html) == 1, app
        assert "<caption" in html, app
    disposal_html = client.get(pages["disposal"]).content.decode()
    assert "廃棄を提案" in disposal_html
    assert CAPTION in client.get(pages["procurement"]).content.decode()
