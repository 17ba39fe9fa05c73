"""The dashboard's stage progress is stored per engagement and redone after every change."""

import datetime as dt
import html
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from engagements import progress
from engagements.choices import Role
from engagements.models import StageProgressSnapshot
from engagements.stages import stage_overview
from survey.models import Desk, Floor

pytestmark = pytest.mark.django_db


CARD = re.compile(r'id="stage-(\w+)".*?<strong>[^<]*?(\d+)%</strong> ・ (.*?)</p>', re.DOTALL)


def shown(client, engagement) -> list:
    """The dashboard's stage cards as (stage, percent, summary)."""
    response = client.get(reverse("engagements:dashboard", args=[engagement.pk]))
    assert response.status_code == 200
    return [(key, int(percent), html.unescape(summary))
            for key, percent, summary in CARD.findall(response.content.decode())]


def survey_card(client, engagement) -> str:
    (survey,) = [(p, s) for key, p, s in shown(client, engagement) if key == "survey"]
    return f"{survey[0]} {survey[1]}"


def fresh(engagement) -> list:
    return [(stage.key, p.percent, str(p.summary)) for stage, p in stage_overview(engagement)]


def test_the_second_view_reads_the_stored_progress_in_one_query(
        client, city_user, engagement, django_assert_max_num_queries):
    client.force_login(city_user)
    first = shown(client, engagement)  # stores the progress (the engagement's first view)
    assert len(first) == len(fresh(engagement))
    shown(client, engagement)  # caches the engagement under its data generation
    # session, user, membership (with the data generation), other engagements: the cards are
    # the cached fragment of this generation, not even the stored progress is read.
    with django_assert_max_num_queries(4):
        second = shown(client, engagement)
    assert second == first == fresh(engagement)


def test_the_dashboard_shows_a_change_made_through_a_page_at_once(client, city_user, engagement):
    client.force_login(city_user)
    assert survey_card(client, engagement).startswith("0 ")
    response = client.post(reverse("survey:floor_create", args=[engagement.pk]),
                           {"name": "2階", "width_mm": 30000, "depth_mm": 20000,
                            "sort_order": 1})
    assert response.status_code == 302
    assert Floor.objects.filter(engagement=engagement).exists()
    assert survey_card(client, engagement).startswith("20 ")
    assert shown(client, engagement) == fresh(engagement)


def test_a_bulk_write_in_a_request_redoes_the_progress_of_its_engagement_only(
        client, city_user, engagement, other_engagement, make_member, monkeypatch):
    other_user = make_member(other_engagement, Role.CITY_STAFF, "other")
    client.force_login(other_user)
    survey_card(client, other_engagement)
    client.force_login(city_user)
    survey_card(client, engagement)
    # A bulk write sends no signal; the request that made it (any method that may write) does.
    floor = Floor.objects.create(engagement=engagement, name="1階", width_mm=1, depth_mm=1)
    StageProgressSnapshot.objects.update(generation=7, day=timezone.localdate(),
                                         progress={"ja": [[0, "古い"]] * 6})
    Desk.objects.bulk_create([Desk(engagement=engagement, floor=floor, number="1",
                                    width_mm=1200, depth_mm=700)])
    client.post(reverse("survey:floor_create", args=[engagement.pk]), {"name": ""})  # refused
    assert StageProgressSnapshot.objects.get(engagement=engagement).generation == 8
    assert StageProgressSnapshot.objects.get(engagement=other_engagement).generation == 7
    assert "1" in survey_card(client, engagement) and shown(client, engagement) == fresh(engagement)
    client.force_login(other_user)
    assert shown(client, other_engagement)[0][2] == "古い"  # untouched


def test_a_change_outside_a_request_redoes_the_progress_once_it_commits(
        client, city_user, engagement, django_capture_on_commit_callbacks):
    client.force_login(city_user)
    assert survey_card(client, engagement).startswith("0 ")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # a command
        with transaction.atomic():
            Floor.objects.create(engagement=engagement, name="1階", width_mm=1, depth_mm=1)
            Floor.objects.create(engagement=engagement, name="2階", width_mm=1, depth_mm=1)
        assert survey_card(client, engagement).startswith("0 ")  # not committed yet
    assert len(callbacks) == 1  # once for the transaction
    assert survey_card(client, engagement).startswith("20 ")


def test_a_change_rolled_back_leaves_the_progress(client, city_user, engagement,
                                                  django_capture_on_commit_callbacks):
    client.force_login(city_user)
    survey_card(client, engagement)
    generation = StageProgressSnapshot.objects.get(engagement=engagement).generation
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            Floor.objects.create(engagement=engagement, name="1階", width_mm=1, depth_mm=1)
            raise RuntimeError
    assert callbacks == []
    assert StageProgressSnapshot.objects.get(engagement=engagement).generation == generation


def test_the_progress_is_redone_on_a_new_day(client, city_user, engagement, monkeypatch):
    client.force_login(city_user)
    survey_card(client, engagement)
    today = timezone.localdate()
    StageProgressSnapshot.objects.update(progress={"ja": [[99, "昨日"]] * 6}, day=today)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + dt.timedelta(days=1))
    assert survey_card(client, engagement).startswith("0 ")
    assert StageProgressSnapshot.objects.get(engagement=engagement).day == today + dt.timedelta(1)


def test_each_language_is_stored_apart(client, city_user, engagement):
    client.force_login(city_user)
    japanese = survey_card(client, engagement)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert survey_card(client, engagement) != japanese
    snapshot = StageProgressSnapshot.objects.get(engagement=engagement)
    assert set(snapshot.progress) == {"en"}  # the language switch was a POST: redone since


def test_a_progress_computed_while_a_change_came_in_is_not_stored(engagement, monkeypatch):
    computed = progress.stage_overview

    def change_meanwhile(e):
        result = computed(e)
        progress.invalidate(e.pk)  # another request's change, committed during the computation
        return result

    monkeypatch.setattr(progress, "stage_overview", change_meanwhile)
    progress.stored_stage_overview(engagement)
    snapshot = StageProgressSnapshot.objects.get(engagement=engagement)
    assert snapshot.progress == {} and snapshot.day is None
