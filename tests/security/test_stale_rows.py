"""Forms of several rows (a round's desks, the headcounts, asset numbers, report chapters):
each row carries its version; a row somebody else saved since refuses the whole save, rows
nobody else touched do not (issue 22)."""

import datetime as dt

import pytest
from django.urls import reverse

from engagements.concurrency import StaleEdit
from engagements.history import reason_max_length, set_change_reason
from reports import services as report_services
from reports.models import ReportText
from survey.models import Desk, Floor, SectionStaffing
from survey.models.occupancy import Observation
from survey.services import staffing_set
from survey.services.occupancy import (
    occupancy_round_record,
    occupancy_rounds_generate,
    occupancy_study_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_desks(engagement):
    floor = Floor.objects.create(engagement=engagement, name="3階", width_mm=12000,
                                 depth_mm=8000)
    return [Desk.objects.create(engagement=engagement, floor=floor, section=engagement.section,
                                number=f"D{n}", width_mm=1200, depth_mm=700,
                                x_mm=1000 + 1500 * n, y_mm=1000) for n in range(3)]


@pytest.fixture
def a_round(engagement, city_user, round_desks):
    study = occupancy_study_create(engagement=engagement, name="在席率調査", actor=city_user)
    return occupancy_rounds_generate(study=study, dates=[dt.date(2026, 7, 13)],
                                     times=[dt.time(9, 30)], actor=city_user)[0]


# --- A round of the occupancy study -------------------------------------------------------------
def test_two_pages_recording_different_desks_both_save(a_round, round_desks, city_user):
    # given two tablets that opened the round before anything was recorded
    seen = {}
    # when each records its own desk
    occupancy_round_record(round=a_round, states={round_desks[0].pk: "present"},
                           actor=city_user, versions=seen)
    occupancy_round_record(round=a_round, states={round_desks[1].pk: "away"},
                           actor=city_user, versions=seen)
    # then both are kept
    assert dict(Observation.objects.values_list("desk__number", "state")) == {
        "D0": "present", "D1": "away"}


def test_a_desk_recorded_since_the_page_was_opened_refuses_the_save(a_round, round_desks,
                                                                     city_user):
    # given a page that saw desk D0 unrecorded, and somebody records D0 meanwhile
    seen = {}
    occupancy_round_record(round=a_round, states={round_desks[0].pk: "present"},
                           actor=city_user, versions={})
    # when the page saves another state for D0 (and D2)
    with pytest.raises(StaleEdit) as refused:
        occupancy_round_record(round=a_round, actor=city_user, versions=seen,
                               states={round_desks[0].pk: "away", round_desks[2].pk: "out"})
    # then nothing of it is written, and the message names the desk and its state
    assert "D0" in refused.value.messages[0] and "在席" in refused.value.messages[0]
    assert dict(Observation.objects.values_list("desk__number", "state")) == {"D0": "present"}


def test_a_correction_from_a_fresh_page_saves(a_round, round_desks, city_user):
    occupancy_round_record(round=a_round, states={round_desks[0].pk: "present"},
                           actor=city_user, versions={})
    seen = dict(Observation.objects.values_list("desk_id", "version"))
    occupancy_round_record(round=a_round, states={round_desks[0].pk: "away"},
                           actor=city_user, versions=seen)
    observation = Observation.objects.get()
    assert (observation.state, observation.version) == ("away", 2)


# --- Headcounts --------------------------------------------------------------------------------
def test_a_headcount_saved_since_the_page_was_opened_is_not_overwritten(engagement, city_user):
    # given a page that saw no headcount for the section (version 0)
    section = engagement.section
    staffing_set(engagement=engagement, section=section, headcount=12, actor=city_user,
                 version=0)
    # when a page opened before that saves another number
    with pytest.raises(StaleEdit) as refused:
        staffing_set(engagement=engagement, section=section, headcount=15, actor=city_user,
                     version=0)
    # then the first number stays, and the message says it
    assert SectionStaffing.objects.get().headcount == 12
    assert "12" in refused.value.messages[0]


def test_an_unchanged_headcount_from_an_old_page_is_no_conflict(engagement, city_user):
    section = engagement.section
    staffing_set(engagement=engagement, section=section, headcount=12, actor=city_user)
    assert staffing_set(engagement=engagement, section=section, headcount=12, actor=city_user,
                        version=0).headcount == 12


# --- Report texts ------------------------------------------------------------------------------
def test_a_stale_chapter_refuses_every_chapter_of_the_save(client, engagement, contractor):
    # given the texts page opened, then somebody writes the summary
    client.force_login(contractor)
    url = reverse("reports:texts", args=[engagement.pk])
    assert client.get(url).status_code == 200
    report_services.report_text_save(engagement=engagement, chapter="summary",
                                     findings="先に保存した所見", discussion="",
                                     actor=contractor, version=0)
    # when the old page saves the future chapter and the summary
    response = client.post(url, {"future-findings": "課題", "future-version": "0",
                                 "summary-findings": "後の所見", "summary-version": "0"})
    # then nothing is written (not even the untouched chapter), the current text is shown
    assert response.status_code == 200
    body = response.content.decode()
    assert "他の人が保存しました" in body and "先に保存した所見" in body
    assert list(ReportText.objects.values_list("chapter", "findings")) == [
        ("summary", "先に保存した所見")]


# --- The history reason ------------------------------------------------------------------------
def test_a_long_reason_is_cut_to_its_column_with_an_ellipsis(engagement):
    limit = reason_max_length(type(engagement))
    set_change_reason(engagement, "理" * 500)
    assert engagement._change_reason == "理" * (limit - 1) + "…"
    set_change_reason(engagement, "  短い理由 ")
    assert engagement._change_reason == "短い理由"


def test_a_long_reason_on_a_real_save_is_not_a_database_error(engagement):
    # a 2,000-character reason on a real save: stored cut, never a DataError
    set_change_reason(engagement, "長" * 2000)
    engagement.save()
    assert len(engagement.history.latest().history_change_reason) == reason_max_length(
        type(engagement))
