"""Occupancy study: rounds, recording a round all-or-nothing with history, the analysis."""

import datetime as dt
import re
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from engagements.choices import OrganisationKind
from engagements.models import Organisation
from survey.models import Desk, Floor, Observation, OccupancyRound, SectionStaffing
from survey.models.occupancy import DeskState
from survey.selectors.occupancy import (
    report_context,
    round_corrections,
    seats_needed,
    study_analysis,
)
from survey.services.occupancy import (
    occupancy_round_record,
    occupancy_rounds_generate,
    occupancy_study_create,
    occupancy_study_update,
    round_times,
    working_days,
)


@pytest.fixture
def floor(engagement):
    return Floor.objects.create(engagement=engagement, name="3階", width_mm=12000, depth_mm=8000)


@pytest.fixture
def second_section(engagement):
    return Organisation.objects.create(
        name="第二担当", parent=engagement.client, kind=OrganisationKind.SECTION
    )


@pytest.fixture
def make_desks(engagement, floor):
    def make(count: int, *, section=None, start: int = 1, target=None):
        target = target or engagement
        target_floor = floor if target == engagement else Floor.objects.create(
            engagement=target, name="別の階", width_mm=12000, depth_mm=8000
        )
        return [
            Desk.objects.create(
                engagement=target, floor=target_floor, number=f"{start + i:02d}",
                section=section or engagement.section, width_mm=1000, depth_mm=700,
                x_mm=1000 + (i % 10) * 1000, y_mm=1000 + (i // 10) * 700,
            )
            for i in range(count)
        ]

    return make


@pytest.fixture
def desks(make_desks):
    return make_desks(4)


@pytest.fixture
def study(engagement, city_user):
    return occupancy_study_create(engagement=engagement, name="在席率調査", actor=city_user)


@pytest.fixture
def rounds(study, city_user):
    return occupancy_rounds_generate(
        study=study, dates=[dt.date(2026, 7, 13)], times=[dt.time(9, 30), dt.time(10, 30)],
        actor=city_user,
    )


# --- Planning rounds -----------------------------------------------------------------------


def test_default_rounds_are_hourly_8_30_to_17_30_on_five_working_days(study, city_user):
    # given a Friday as the first day: the weekend and Monday 20 July (海の日) are skipped
    skipped = []
    dates = working_days(dt.date(2026, 7, 17), skipped=skipped)
    # when
    created = occupancy_rounds_generate(study=study, dates=dates, times=round_times(),
                                        actor=city_user)
    # then
    assert len(created) == 50
    assert dates == [dt.date(2026, 7, d) for d in (17, 21, 22, 23, 24)]
    assert skipped == [(dt.date(2026, 7, 20), "海の日")]
    assert round_times()[0] == dt.time(8, 30) and round_times()[-1] == dt.time(17, 30)
    assert study.rounds.filter(date=dates[0]).count() == 10


@pytest.mark.parametrize(
    "start,count,expected,closed",
    [
        # Golden Week 2026: 3 May falls on a Sunday, so 6 May is its substitute holiday
        (dt.date(2026, 4, 28), 4, [(4, 28), (4, 30), (5, 1), (5, 7)],
         [(4, 29), (5, 4), (5, 5), (5, 6)]),
        # the year-end closure of city offices (29 December to 3 January)
        (dt.date(2026, 12, 28), 3, [(12, 28), (1, 4), (1, 5)],
         [(12, 29), (12, 30), (12, 31), (1, 1)]),
        # 国民の休日: 22 September 2026 lies between two public holidays
        (dt.date(2026, 9, 18), 2, [(9, 18), (9, 24)], [(9, 21), (9, 22), (9, 23)]),
    ],
)
def test_working_days_skip_public_holidays_and_the_year_end_closure(
    start, count, expected, closed
):
    skipped = []
    days = working_days(start, count, skipped=skipped)
    assert [(d.month, d.day) for d in days] == expected
    assert [(d.month, d.day) for d, _reason in skipped] == closed
    assert all(reason for _day, reason in skipped)


def test_other_closed_days_can_be_set(settings):
    settings.OFFICE_REFORM = {**settings.OFFICE_REFORM, "OFFICE_CLOSED_DAYS": ((6, 1),)}
    assert working_days(dt.date(2026, 6, 1), 1) == [dt.date(2026, 6, 2)]
    assert working_days(dt.date(2026, 12, 29), 1) == [dt.date(2026, 12, 29)]


def test_planning_again_keeps_existing_rounds(study, city_user, rounds):
    created = occupancy_rounds_generate(
        study=study, dates=[dt.date(2026, 7, 13)], times=[dt.time(9, 30), dt.time(11, 30)],
        actor=city_user,
    )
    assert [r.time for r in created] == [dt.time(11, 30)]
    assert study.rounds.count() == 3


def test_too_many_rounds_are_refused(study, city_user):
    with pytest.raises(ValidationError):
        occupancy_rounds_generate(
            study=study, dates=working_days(dt.date(2026, 7, 13), 20),
            times=round_times(dt.time(8, 0), dt.time(18, 0), 20), actor=city_user,
        )
    assert not study.rounds.exists()


def test_the_contractor_cannot_create_a_study(engagement, contractor):
    with pytest.raises(PermissionDenied):
        occupancy_study_create(engagement=engagement, name="x", actor=contractor)


def test_core_hours_must_end_after_they_start(engagement, city_user):
    with pytest.raises(ValidationError):
        occupancy_study_create(engagement=engagement, name="x", actor=city_user,
                               core_start=dt.time(15), core_end=dt.time(10))


# --- Recording a round ---------------------------------------------------------------------


def test_record_saves_every_state_in_one_go(rounds, desks, city_user):
    # given
    states = {d.pk: s for d, s in zip(desks, ["present", "away", "meeting", "telework"],
                                      strict=True)}
    # when
    result = occupancy_round_record(round=rounds[0], states=states, actor=city_user)
    # then
    assert (result.created, result.changed) == (4, 0)
    assert dict(Observation.objects.values_list("desk_id", "state")) == states
    rounds[0].refresh_from_db()
    assert rounds[0].recorded_by == city_user and rounds[0].recorded_at is not None
    assert Observation.history.filter(history_type="+").count() == 4


def test_a_correction_keeps_before_and_after_in_history(rounds, desks, city_user, make_user):
    # given a recorded round
    occupancy_round_record(round=rounds[0], states={desks[0].pk: "present"}, actor=city_user)
    # when another member corrects one desk
    occupancy_round_record(round=rounds[0], states={desks[0].pk: "meeting"}, actor=city_user)
    # then the observation changed and one history row records it
    observation = Observation.objects.get()
    assert observation.state == DeskState.MEETING
    assert observation.history.count() == 2
    assert observation.history.latest().history_user == city_user
    [correction] = round_corrections(rounds[0])
    assert (correction.desk, correction.before, correction.after) == ("01", "在席", "会議")


def test_saving_the_same_states_again_writes_nothing(rounds, desks, city_user):
    states = {desks[0].pk: "present"}
    occupancy_round_record(round=rounds[0], states=states, actor=city_user)
    result = occupancy_round_record(round=rounds[0], states=states, actor=city_user)
    assert (result.created, result.changed) == (0, 0)
    assert Observation.history.count() == 1


@pytest.mark.parametrize("bad_state", ["", "sleeping", "PRESENT"])
def test_an_invalid_state_saves_nothing(rounds, desks, city_user, bad_state):
    with pytest.raises(ValidationError) as error:
        occupancy_round_record(
            round=rounds[0], states={desks[0].pk: "present", desks[1].pk: bad_state},
            actor=city_user,
        )
    assert f"desk_{desks[1].pk}" in error.value.message_dict
    assert not Observation.objects.exists()


def test_a_desk_of_another_engagement_saves_nothing(rounds, desks, city_user, make_desks,
                                                     other_engagement):
    [foreign] = make_desks(1, target=other_engagement, start=90)
    with pytest.raises(ValidationError) as error:
        occupancy_round_record(
            round=rounds[0], states={desks[0].pk: "present", foreign.pk: "present"},
            actor=city_user,
        )
    assert f"desk_{foreign.pk}" in error.value.message_dict
    assert not Observation.objects.exists()


def test_a_desk_outside_the_studys_sections_is_refused(study, rounds, make_desks, city_user,
                                                       second_section):
    # given a study of the site section only
    [inside] = make_desks(1)
    [outside] = make_desks(1, section=second_section, start=50)
    occupancy_study_update(study=study, actor=city_user, sections=[study.engagement.section])
    # when / then
    with pytest.raises(ValidationError):
        occupancy_round_record(round=rounds[0], states={outside.pk: "present"}, actor=city_user)
    occupancy_round_record(round=rounds[0], states={inside.pk: "present"}, actor=city_user)
    assert Observation.objects.count() == 1


def test_changing_the_sections_observed_writes_one_history_row_naming_them(
    study, make_desks, city_user, second_section
):
    # given a study of every desk, with desks of two sections on the site
    make_desks(1)
    make_desks(1, section=second_section, start=50)
    section = study.engagement.section
    assert study.history.count() == 1
    # when the study is narrowed to one section and its margin changed in the same submit
    occupancy_study_update(study=study, actor=city_user, sections=[section], margin_percent=20)
    # then both changes are in one history row, by the actor, naming the sections
    study.refresh_from_db()
    assert list(study.sections.all()) == [section]
    assert study.history.count() == 2
    row = study.history.latest()
    assert row.history_user == city_user and row.margin_percent == 20
    assert row.history_change_reason == f"観察する担当：すべての机 → {section.name}"
    # when only the sections change
    occupancy_study_update(study=study, actor=city_user, sections=[section, second_section])
    # then a second row says so; submitting the same sections again writes nothing
    both = sorted([section, second_section], key=lambda s: (s.sort_order, s.name))
    assert study.history.latest().history_change_reason == (
        f"観察する担当：{section.name} → {'、'.join(s.name for s in both)}"
    )
    occupancy_study_update(study=study, actor=city_user, sections=[second_section, section])
    assert study.history.count() == 3


def test_a_study_created_with_sections_names_them_in_its_first_history_row(
    engagement, make_desks, city_user
):
    make_desks(1)
    study = occupancy_study_create(engagement=engagement, name="係のみ", actor=city_user,
                                   sections=[engagement.section])
    row = study.history.get()
    assert row.history_type == "+"
    assert row.history_change_reason == f"観察する担当：すべての机 → {engagement.section.name}"


def test_a_section_not_on_the_site_is_refused_and_nothing_is_saved(
    study, city_user, second_section
):
    with pytest.raises(ValidationError):
        occupancy_study_update(study=study, actor=city_user, sections=[second_section],
                               margin_percent=30)
    study.refresh_from_db()
    assert study.margin_percent == 10 and not study.sections.exists()
    assert study.history.count() == 1


def test_the_contractor_cannot_record(rounds, desks, contractor):
    with pytest.raises(PermissionDenied):
        occupancy_round_record(round=rounds[0], states={desks[0].pk: "present"},
                               actor=contractor)
    assert not Observation.objects.exists()


def test_recording_takes_the_same_queries_for_many_desks(
    rounds, make_desks, city_user, django_assert_max_num_queries
):
    few = make_desks(3)
    many = make_desks(60, start=10)
    with django_assert_max_num_queries(29) as few_queries:
        occupancy_round_record(round=rounds[0], states={d.pk: "present" for d in few},
                               actor=city_user)
    with django_assert_max_num_queries(len(few_queries.captured_queries)):
        occupancy_round_record(round=rounds[1], states={d.pk: "away" for d in many},
                               actor=city_user)


# --- Analysis ------------------------------------------------------------------------------


def record(round_obj, desks, states, actor):
    occupancy_round_record(
        round=round_obj, states={d.pk: s for d, s in zip(desks, states, strict=True)},
        actor=actor,
    )


def test_occupied_counts_present_and_briefly_away_only(rounds, desks, city_user, engagement):
    # given round 1: present, away, meeting, telework (2 of 4 occupied);
    # round 2: present, out, absent, absent (1 of 4)
    SectionStaffing.objects.create(engagement=engagement, section=engagement.section,
                                   headcount=10)
    record(rounds[0], desks, ["present", "away", "meeting", "telework"], city_user)
    record(rounds[1], desks, ["present", "out", "absent", "absent"], city_user)
    # when
    analysis = study_analysis(rounds[0].study)
    # then
    overall = analysis["overall"]
    assert overall.average == Fraction(3, 8)
    assert overall.peak == Fraction(1, 2)
    # seats = ceil(10 × 0.5 × 1.1) = 6
    assert overall.seats == 6
    desk1 = analysis["desks"][0]
    assert (desk1.average, desk1.peak) == (1, 1)
    assert [t.label for t in analysis["times"]] == ["09:30", "10:30"]
    assert analysis["times"][1].average == Fraction(1, 4)
    states = {s["state"]: s["count"] for s in analysis["states"]}
    assert states[DeskState.ABSENT] == 2


def test_sections_and_seats_per_section(rounds, make_desks, city_user, engagement,
                                        second_section):
    a = make_desks(2)
    b = make_desks(2, section=second_section, start=10)
    SectionStaffing.objects.create(engagement=engagement, section=engagement.section,
                                   headcount=4)
    SectionStaffing.objects.create(engagement=engagement, section=second_section, headcount=3)
    record(rounds[0], a + b, ["present", "present", "absent", "absent"], city_user)
    record(rounds[1], a + b, ["absent", "absent", "present", "away"], city_user)
    analysis = study_analysis(rounds[0].study)
    by_label = {f.label: f for f in analysis["sections"]}
    site = by_label[engagement.section.name]
    second = by_label["第二担当"]
    assert (site.average, site.peak, site.seats) == (Fraction(1, 2), 1, 5)  # ⌈4×1×1.1⌉
    assert (second.peak, second.seats) == (1, 4)  # ⌈3×1×1.1⌉
    # all desks: each round 2 of 4 occupied; total seats use the joint peak: ⌈7×0.5×1.1⌉
    assert analysis["overall"].peak == Fraction(1, 2)
    assert analysis["overall"].seats == 4


def test_core_hours_only_leaves_out_the_other_rounds(rounds, desks, city_user):
    study = rounds[0].study
    record(rounds[0], desks, ["present"] * 4, city_user)  # 9:30, outside 10:00–15:00
    record(rounds[1], desks, ["absent"] * 4, city_user)  # 10:30
    study = occupancy_study_update(study=study, actor=city_user, core_hours_only=True)
    analysis = study_analysis(study)
    assert analysis["overall"].average == 0
    assert analysis["round_count"] == 1


@pytest.mark.parametrize(
    "headcount,peak,margin,expected",
    [(10, Fraction(1, 2), 20, 6), (19, Fraction(14, 19), 10, 16), (10, Fraction(0), 10, 0),
     (0, Fraction(1, 2), 10, None), (5, None, 10, None)],
)
def test_seats_needed_rounds_up_exactly(headcount, peak, margin, expected):
    # 10 × 0.5 × 1.2 is 6.000000000000001 in floating point; the exact result is 6.
    assert seats_needed(headcount, peak, margin) == expected


def test_analysis_query_count_does_not_grow_with_observations(
    study, make_desks, city_user, django_assert_max_num_queries
):
    # given 30 desks and 20 rounds recorded
    desks = make_desks(30)
    rounds = occupancy_rounds_generate(
        study=study, dates=working_days(dt.date(2026, 7, 13), 2), times=round_times(),
        actor=city_user,
    )
    for r in rounds:
        occupancy_round_record(round=r, states={d.pk: "present" for d in desks},
                               actor=city_user)
    assert Observation.objects.count() == 600
    # then the report context (analysis, charts, heat map with the rooms, storage, furniture
    # and other desks around, the scope's sections) takes a fixed number of queries
    with django_assert_max_num_queries(17):
        context = report_context(study.engagement)
    assert context["overall"].average == 1
    assert "<svg" in context["heat_maps"][0]["svg"]


def test_report_context_without_observations_has_no_study(engagement):
    assert report_context(engagement) == {"study": None}


def test_rounds_are_unique_per_slot(study):
    OccupancyRound.objects.create(study=study, date=dt.date(2026, 7, 13), time=dt.time(9, 30))
    with pytest.raises(Exception):  # noqa: B017 — the database constraint
        OccupancyRound.objects.create(study=study, date=dt.date(2026, 7, 13),
                                      time=dt.time(9, 30))


def test_heat_map_shows_the_whole_floor_with_the_surroundings_scale_and_legend(
    engagement, study, floor, make_desks, second_section, city_user
):
    # given the study observes one section's desks in a corner of a 12 × 8 m floor, with
    # another section's desk beside them
    study.sections.set([engagement.section])
    desks = make_desks(3)
    Desk.objects.create(
        engagement=engagement, floor=floor, number="他-01", section=second_section,
        width_mm=1000, depth_mm=700, x_mm=5000, y_mm=1000,
    )
    round_ = occupancy_rounds_generate(
        study=study, dates=[dt.date(2026, 7, 13)], times=[dt.time(9, 30)], actor=city_user
    )[0]
    occupancy_round_record(round=round_, states={d.pk: "present" for d in desks},
                           actor=city_user)
    # when
    heat_map = report_context(engagement)["heat_maps"][0]
    svg = heat_map["svg"]
    # then the whole floor is in view (nothing cropped), with a scale bar under it
    x, y, w, h = map(float, re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    assert x < 0 and y < 0 and x + w > floor.width_mm and y + h > floor.depth_mm
    assert 'class="plan-scale"' in svg
    # the other section's desk is drawn as surroundings, without a rate
    assert ">他-01<" in svg and "他-01 " not in svg
    # the studied desks (the engagement's section) are outlined as the scope
    assert 'class="plan-scope"' in svg
    # and every colour drawn has a legend entry
    fills = set(re.findall(r'<rect width="\d+" height="\d+" fill="([^"]+)"', svg))
    legend = {entry.colour for entry in heat_map["plan"].legend}
    assert fills <= legend, fills - legend
