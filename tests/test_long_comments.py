"""No user text exceeds a column: a 2,000-character comment on every workflow transition
(issue 22).

The history reason of django-simple-history is a varchar(100); PostgreSQL refused every
comment longer than that. The walk below takes every ``Workflow`` registered in
``engagements.workflow.WORKFLOWS`` (a new workflow is covered without touching this file)
and every transition of its table, on an object of the demo put into the source status.

The demo is loaded once for this module (as ``tests/test_demo.py`` does), each case runs in
its own rolled-back savepoint.
"""

import dataclasses

import pytest
from django.urls import reverse

from engagements.history import reason_max_length
from engagements.models import Membership
from engagements.permissions import role_can
from engagements.workflow import WORKFLOWS
from meetings.choices import MinutesStatus
from meetings.models import Minutes
from reports.models import ReportVersion, VersionStatus
from tests.test_workflows import _load_workflows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo"),
              pytest.mark.xdist_group("seeded_demo")]

# About forty Japanese sentences: far beyond the 100 characters of the history reason.
LONG_COMMENT = ("会議で指摘された点を反映し、配置図と数量表を修正しました。" * 80)[:2000]


def _cases():
    _load_workflows()
    return [
        pytest.param(workflow, source, target,
                     id=f"{workflow.model.__name__}:{source or '-'}>{target}")
        for workflow in WORKFLOWS
        for (source, target) in workflow.transitions
    ]


def _actor_for(workflow, obj, action):
    """A member of ``obj``'s engagement whose role may take ``action``."""
    engagement = workflow.engagement_of(obj)
    for membership in Membership.objects.filter(engagement=engagement).select_related("user"):
        if role_can(membership.role, action):
            return membership.user
    raise AssertionError(f"the demo has no member who may {action}")


def _object_for(workflow, source, target):
    """A row of the demo that can be in ``target``: one there already (its other fields agree
    with that status: an approved alternative is the proposal's one approved), else one in
    ``source``, else any."""
    rows = workflow.model._default_manager.order_by("pk")
    return (rows.filter(**{workflow.field: target}).first()
            or rows.filter(**{workflow.field: source}).first() or rows.first())


def test_every_workflow_has_a_case():
    # A workflow whose model the demo has no row of would not be walked: fail instead.
    assert len(_cases()) >= 13
    for workflow in WORKFLOWS:
        assert workflow.model._default_manager.exists(), workflow.model.__name__


@pytest.mark.parametrize("workflow,source,target", _cases())
def test_a_2000_character_comment_is_kept_whole(workflow, source, target, monkeypatch):
    # given an object of the demo in the transition's source status
    model = workflow.model
    obj = _object_for(workflow, source, target)
    model._default_manager.filter(pk=obj.pk).update(**{workflow.field: source})
    obj.refresh_from_db()
    transition = workflow.transitions[(source, target)]
    actor = _actor_for(workflow, obj, transition.action)
    # The transition's own rule (a decision date given, every position inspected…) is
    # another test's subject; here only the comment's way into the database is.
    monkeypatch.setattr(workflow, "transitions", {
        key: dataclasses.replace(tr, check=None) for key, tr in workflow.transitions.items()
    })
    log = workflow.log_model._default_manager.filter(**{workflow.log_fk: obj})
    before = log.count()
    # when the transition is taken with a 2,000-character comment
    locked = workflow.apply(obj, target, actor=actor, comment=LONG_COMMENT)
    # then it is taken, the status-change row holds the whole comment
    assert getattr(model._default_manager.get(pk=obj.pk), workflow.field) == target
    assert log.count() == before + 1
    row = log.order_by("-pk").first()
    assert (row.old_status, row.new_status) == (source, target)
    assert row.comment == LONG_COMMENT
    # and the history row's reason is the comment cut to its column, ending in "…"
    reason = locked.history.latest().history_change_reason
    limit = reason_max_length(model)
    assert len(reason) == limit
    assert reason == LONG_COMMENT[: limit - 1] + "…"


def test_a_short_comment_is_the_history_reason_unchanged():
    _load_workflows()
    workflow = next(w for w in WORKFLOWS if w.model is Minutes)
    minutes = Minutes.objects.order_by("pk").first()
    Minutes.objects.filter(pk=minutes.pk).update(status=MinutesStatus.REQUESTED)
    minutes.refresh_from_db()
    actor = _actor_for(workflow, minutes, workflow.transitions[
        (MinutesStatus.REQUESTED, MinutesStatus.RETURNED)].action)
    workflow.apply(minutes, MinutesStatus.RETURNED, actor=actor, comment="日付の誤り")
    assert minutes.history.latest().history_change_reason == "日付の誤り"


# --- Through the pages: no 500 ------------------------------------------------------------
def _client_for(client, workflow, obj, action):
    client.force_login(_actor_for(workflow, obj, action))
    return client


def test_returning_minutes_with_a_long_comment_on_the_page(client):
    # given minutes sent for review
    _load_workflows()
    workflow = next(w for w in WORKFLOWS if w.model is Minutes)
    minutes = Minutes.objects.order_by("pk").first()
    Minutes.objects.filter(pk=minutes.pk).update(status=MinutesStatus.REQUESTED)
    action = workflow.transitions[(MinutesStatus.REQUESTED, MinutesStatus.RETURNED)].action
    engagement = minutes.meeting.engagement
    url = reverse("meetings:minutes_transition",
                  args=[engagement.pk, minutes.pk, MinutesStatus.RETURNED])
    # when the city returns them with a 2,000-character comment
    response = _client_for(client, workflow, minutes, action).post(
        url, {"comment": LONG_COMMENT})
    # then the page answers (no 500), they are returned with the whole comment
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.RETURNED
    assert minutes.status_changes.order_by("-pk").first().comment == LONG_COMMENT


def test_deciding_a_report_version_with_a_long_comment_on_the_page(client):
    # given a submitted report version
    _load_workflows()
    workflow = next(w for w in WORKFLOWS if w.model is ReportVersion)
    version = ReportVersion.objects.order_by("pk").first()
    ReportVersion.objects.filter(pk=version.pk).update(status=VersionStatus.SUBMITTED)
    version.refresh_from_db()
    target = VersionStatus.RETURNED
    action = workflow.transitions[(VersionStatus.SUBMITTED, target)].action
    url = reverse("reports:version_decide", args=[version.engagement_id, version.number])
    # when the city decides it with a 2,000-character comment
    response = _client_for(client, workflow, version, action).post(
        url, {"target": target, "comment": LONG_COMMENT})
    # then the page answers (no 500) and the decision is recorded with the whole comment
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == target
    assert version.status_changes.order_by("-pk").first().comment == LONG_COMMENT
