"""Occupancy pages: the permission matrix, the round screen's save, query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.choices import Role
from engagements.services import membership_set
from survey.models import Desk, Floor, Observation, OccupancyStudy, SectionStaffing
from survey.services.occupancy import (
    occupancy_round_record,
    occupancy_rounds_generate,
    occupancy_study_create,
    round_times,
    working_days,
)


@pytest.fixture
def floor(engagement):
    return Floor.objects.create(engagement=engagement, name="3階", width_mm=20000, depth_mm=9000)


def add_desks(engagement, floor, count, start=1):
    return Desk.objects.bulk_create(
        Desk(engagement=engagement, floor=floor, number=f"{start + i:03d}",
             section=engagement.section, width_mm=1000, depth_mm=700,
             x_mm=500 + (i % 18) * 1000, y_mm=500 + (i // 18) * 800)
        for i in range(count)
    )


@pytest.fixture
def setup(engagement, floor, city_user):
    desks = add_desks(engagement, floor, 4)
    study = occupancy_study_create(engagement=engagement, name="在席率調査", actor=city_user)
    rounds = occupancy_rounds_generate(
        study=study, dates=[dt.date(2026, 7, 13)], times=[dt.time(9, 30), dt.time(10, 30)],
        actor=city_user,
    )
    occupancy_round_record(round=rounds[0], states={d.pk: "present" for d in desks},
                           actor=city_user)
    return study, rounds, desks


def url(name, engagement, **kwargs):
    return reverse(f"survey:{name}", kwargs={"engagement_pk": engagement.pk, **kwargs})


def page_urls(engagement, study, round_obj):
    return [
        url("occupancy_index", engagement),
        url("occupancy_study", engagement, study_pk=study.pk),
        url("occupancy_round", engagement, study_pk=study.pk, round_pk=round_obj.pk),
        url("occupancy_analysis", engagement, study_pk=study.pk),
    ]


@pytest.mark.parametrize(
    "role,expected",
    [(Role.CITY_STAFF, 200), (Role.CONTRACTOR, 200), (Role.ADMINISTRATOR, 200),
     ("outsider", 404)],
)
def test_pages_by_role(client, member_by_role, engagement, setup, role, expected):
    study, rounds, _desks = setup
    client.force_login(member_by_role[role])
    for address in page_urls(engagement, study, rounds[0]):
        assert client.get(address).status_code == expected, address


@pytest.mark.parametrize(
    "role,expected",
    [(Role.CITY_STAFF, 302), (Role.CONTRACTOR, 403), (Role.ADMINISTRATOR, 403),
     ("outsider", 404)],
)
def test_recording_a_round_by_role(client, member_by_role, engagement, setup, role, expected):
    # when a member of each role posts the second round
    study, rounds, desks = setup
    client.force_login(member_by_role[role])
    response = client.post(
        url("occupancy_round", engagement, study_pk=study.pk, round_pk=rounds[1].pk),
        {f"desk_{d.pk}": "meeting" for d in desks},
    )
    # then only city staff fill the survey
    assert response.status_code == expected
    saved = Observation.objects.filter(round=rounds[1]).count()
    assert saved == (4 if expected == 302 else 0)


@pytest.mark.parametrize(
    "name,role,expected",
    [("occupancy_study_create", Role.CITY_STAFF, 200),
     ("occupancy_study_create", Role.CONTRACTOR, 403),
     ("occupancy_study_create", "outsider", 404)],
)
def test_study_form_by_role(client, member_by_role, engagement, name, role, expected):
    client.force_login(member_by_role[role])
    assert client.get(url(name, engagement)).status_code == expected


def test_the_contractor_sees_the_round_read_only(client, contractor, engagement, setup):
    study, rounds, _desks = setup
    client.force_login(contractor)
    text = client.get(
        url("occupancy_round", engagement, study_pk=study.pk, round_pk=rounds[0].pk)
    ).content.decode()
    assert "この巡回を保存" not in text
    assert "<select" not in text.split('id="desk-list"')[1]
    assert "在席" in text


def test_a_study_of_another_engagement_answers_404(client, city_user, engagement,
                                                   other_engagement, make_member):
    make_member(other_engagement, Role.CITY_STAFF, "other-city")
    other = OccupancyStudy.objects.create(engagement=other_engagement, name="他")
    client.force_login(city_user)
    assert client.get(url("occupancy_study", engagement, study_pk=other.pk)).status_code == 404
    assert client.get(url("occupancy_analysis", engagement, study_pk=other.pk)).status_code == 404


def test_saving_the_round_screen_saves_the_whole_round_and_says_so(
    client, city_user, engagement, setup
):
    study, rounds, desks = setup
    client.force_login(city_user)
    data = {f"desk_{d.pk}": "present" for d in desks}
    data[f"desk_{desks[0].pk}"] = "telework"
    response = client.post(
        url("occupancy_round", engagement, study_pk=study.pk, round_pk=rounds[0].pk), data,
        follow=True,
    )
    assert "巡回を保存しました（記録 0席、訂正 1席）" in response.content.decode()
    assert Observation.objects.get(round=rounds[0], desk=desks[0]).state == "telework"
    assert "訂正履歴" in response.content.decode()


def test_a_bad_row_shows_the_message_and_saves_nothing(client, city_user, engagement, setup,
                                                        other_engagement):
    study, rounds, desks = setup
    foreign_floor = Floor.objects.create(engagement=other_engagement, name="x", width_mm=5000,
                                         depth_mm=5000)
    [foreign] = add_desks(other_engagement, foreign_floor, 1, start=900)
    client.force_login(city_user)
    data = {f"desk_{d.pk}": "away" for d in desks}
    data[f"desk_{foreign.pk}"] = "present"
    response = client.post(
        url("occupancy_round", engagement, study_pk=study.pk, round_pk=rounds[1].pk), data
    )
    assert response.status_code == 400
    assert "保存していません" in response.content.decode()
    assert not Observation.objects.filter(round=rounds[1]).exists()


def test_an_unknown_state_is_marked_on_its_row(client, city_user, engagement, setup):
    study, rounds, desks = setup
    client.force_login(city_user)
    data = {f"desk_{d.pk}": "present" for d in desks}
    data[f"desk_{desks[2].pk}"] = "sleeping"
    response = client.post(
        url("occupancy_round", engagement, study_pk=study.pk, round_pk=rounds[1].pk), data
    )
    assert response.status_code == 400
    assert "状態を選んでください" in response.content.decode()
    assert not Observation.objects.filter(round=rounds[1]).exists()


def test_planning_rounds_through_the_page(client, city_user, engagement, setup):
    study, _rounds, _desks = setup
    client.force_login(city_user)
    response = client.post(
        url("occupancy_rounds_generate", engagement, study_pk=study.pk),
        {"start_date": "2026-07-20", "days": "5", "first_time": "08:30",
         "last_time": "17:30", "interval_minutes": "60"}, follow=True,
    )
    assert "50回の巡回を計画しました" in response.content.decode()
    assert study.rounds.count() == 52


def test_analysis_page_shows_the_rule_the_seats_and_the_charts(client, contractor, engagement,
                                                               setup):
    study, _rounds, _desks = setup
    SectionStaffing.objects.create(engagement=engagement, section=engagement.section,
                                   headcount=4)
    client.force_login(contractor)
    text = client.get(url("occupancy_analysis", engagement, study_pk=study.pk)).content.decode()
    assert "「在席」と「一時離席」" in text
    assert "フリーアドレスの推奨席数" in text
    assert text.count("<svg") >= 4


def build(engagement, floor, actor, *, desks, days):
    """A study with ``desks`` desks and ``days`` × 10 rounds, every round recorded."""
    all_desks = add_desks(engagement, floor, desks, start=100)
    study = occupancy_study_create(engagement=engagement, name=f"調査{desks}", actor=actor)
    rounds = occupancy_rounds_generate(
        study=study, dates=working_days(dt.date(2026, 7, 13), days), times=round_times(),
        actor=actor,
    )
    for r in rounds:
        occupancy_round_record(round=r, states={d.pk: "present" for d in all_desks},
                               actor=actor)
    return study, rounds


def count_queries(client, addresses):
    counts = []
    for address in addresses:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        counts.append(len(queries))
    return counts


def test_query_counts_do_not_grow_with_desks_or_observations(
    client, city_user, make_engagement, make_member, django_assert_max_num_queries
):
    # given a small study (3 desks × 10 rounds) and a large one (60 desks × 30 rounds)
    small_e, large_e = make_engagement("小"), make_engagement("大")
    for e in (small_e, large_e):
        membership_set(engagement=e, user=city_user, role=Role.CITY_STAFF)
    small_floor = Floor.objects.create(engagement=small_e, name="f", width_mm=20000,
                                       depth_mm=9000)
    large_floor = Floor.objects.create(engagement=large_e, name="f", width_mm=20000,
                                       depth_mm=9000)
    small, small_rounds = build(small_e, small_floor, city_user, desks=3, days=1)
    large, large_rounds = build(large_e, large_floor, city_user, desks=60, days=3)
    assert Observation.objects.filter(round__study=large).count() == 1800
    client.force_login(city_user)
    client.get(reverse("engagements:engagement_list"))  # the first request renews the session
    # when
    small_counts = count_queries(client, page_urls(small_e, small, small_rounds[0]))
    large_counts = count_queries(client, page_urls(large_e, large, large_rounds[0]))
    # then
    assert small_counts == large_counts
    with django_assert_max_num_queries(25):
        client.get(url("occupancy_round", large_e, study_pk=large.pk,
                       round_pk=large_rounds[0].pk))


def test_the_sections_chosen_in_the_settings_appear_in_the_studys_history(
    client, city_user, engagement, setup
):
    # given a study of every desk
    study, _rounds, _desks = setup
    client.force_login(city_user)
    # when city staff narrow it to the site's section in the settings form
    response = client.post(
        url("occupancy_study_update", engagement, study_pk=study.pk),
        {"name": study.name, "sections": [engagement.section.pk], "margin_percent": 10,
         "core_start": "10:00", "core_end": "15:00"},
    )
    # then the study observes that section and its page's history says so
    assert response.status_code == 302
    assert list(study.sections.all()) == [engagement.section]
    page = client.get(url("occupancy_study", engagement, study_pk=study.pk)).content.decode()
    assert f"観察する担当：すべての机 → {engagement.section.name}" in page


def test_planning_rounds_over_a_public_holiday_says_which_days_were_left_out(
    client, city_user, engagement, floor
):
    # given a study without rounds
    study = occupancy_study_create(engagement=engagement, name="7月", actor=city_user)
    client.force_login(city_user)
    # when five days from Friday 17 July 2026 are planned (Monday 20 July is 海の日)
    response = client.post(
        url("occupancy_rounds_generate", engagement, study_pk=study.pk),
        {"start_date": "2026-07-17", "days": 5, "first_time": "08:30", "last_time": "17:30",
         "interval_minutes": 60},
        follow=True,
    )
    # then the holiday has no rounds and the page names it
    dates = sorted({r.date for r in study.rounds.all()})
    assert dates == [dt.date(2026, 7, d) for d in (17, 21, 22, 23, 24)]
    assert "令和8年7月20日（海の日）" in response.content.decode()


def test_a_large_study_is_recorded_one_floor_at_a_time_and_keeps_the_other_floors(
    client, city_user, engagement, floor, setup, monkeypatch
):
    # given a study whose desks (4 on the 3rd floor, 3 on the 4th) exceed one page
    from survey import round_screen

    monkeypatch.setattr(round_screen, "FLOOR_PAGE_DESKS", 5)
    study, rounds, desks = setup
    upper = Floor.objects.create(engagement=engagement, name="4階", width_mm=9000,
                                 depth_mm=6000, sort_order=2)
    upper_desks = add_desks(engagement, upper, 3, start=101)
    client.force_login(city_user)
    address = url("occupancy_round", engagement, study_pk=study.pk, round_pk=rounds[0].pk)
    # when the 4th floor is opened
    page = client.get(f"{address}?floor={upper.pk}").content.decode()
    # then only its desks are on the page (plan and list), with a link to the other floor
    assert all(f'name="desk_{d.pk}"' in page for d in upper_desks)
    assert not any(f'name="desk_{d.pk}"' in page for d in desks)
    assert f'href="?floor={floor.pk}"' in page
    # and saving it records its desks and keeps the 3rd floor's states
    response = client.post(f"{address}?floor={upper.pk}",
                           {f"desk_{d.pk}": "absent" for d in upper_desks})
    assert response.status_code == 302 and response["Location"].endswith(f"?floor={upper.pk}")
    states = dict(Observation.objects.filter(round=rounds[0]).values_list("desk_id", "state"))
    assert {states[d.pk] for d in desks} == {"present"}
    assert {states[d.pk] for d in upper_desks} == {"absent"}


def test_the_round_plan_keeps_desks_in_plan_order_and_is_a_group_of_buttons(
    client, city_user, engagement, setup
):
    study, rounds, desks = setup
    client.force_login(city_user)
    page = client.get(url("occupancy_round", engagement, study_pk=study.pk,
                          round_pk=rounds[0].pk)).content.decode()
    svg = page[page.index("<svg"):page.index("</svg>")]
    # the SVG holding buttons is a labelled group, not an image (axe: nested-interactive)
    assert 'role="group"' in svg[:400] and 'role="img"' not in svg
    positions = [svg.index(f'data-desk="{d.pk}"') for d in desks]
    assert positions == sorted(positions)
