"""The stored occupancy analysis equals a fresh computation after every kind of change."""

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from survey import excel
from survey.models import Desk, DeskResult, StudyResult
from survey.selectors.occupancy import (
    compute_study_analysis,
    recommended_seats,
    stored_study_analysis,
    study_analysis,
)
from survey.services import desk_create, desk_delete, desk_update, staffing_set
from survey.services.occupancy import (
    occupancy_round_record,
    occupancy_rounds_generate,
    occupancy_study_create,
    occupancy_study_update,
)


def snapshot(analysis) -> dict:
    """Every figure the pages show, in a comparable form."""

    def figure(f):
        return (f.label, f.observed, f.occupied, f.peak, f.headcount, f.desks, f.seats)

    return {
        "overall": figure(analysis.overall),
        "desks": [(figure(f), f.extra["desk"].pk, f.extra["desk"].floor.name,
                   f.extra["desk"].section_id) for f in analysis.desks],
        "sections": [figure(f) for f in analysis.sections],
        "times": [figure(f) for f in analysis.times],
        "states": [(s["state"], s["count"], s["percent"]) for s in analysis.states],
        "counts": (analysis.observation_count, analysis.round_count, analysis.margin_percent,
                   analysis.has_staffing),
    }


def assert_stored_equals_fresh(study):
    study.refresh_from_db()
    stored = stored_study_analysis(study)
    assert stored is not None and stored.stored
    assert snapshot(stored) == snapshot(compute_study_analysis(study))


@pytest.fixture
def other_section(engagement):
    from engagements.choices import OrganisationKind
    from engagements.models import Organisation

    return Organisation.objects.create(
        name="第二担当", parent=engagement.client, kind=OrganisationKind.SECTION
    )


@pytest.fixture
def setup(engagement, floor, city_user, other_section):
    staffing_set(engagement=engagement, section=engagement.section, headcount=5,
                 actor=city_user)
    desks = [
        desk_create(engagement=engagement, actor=city_user, floor=floor, number=f"{n:02d}",
                    section=engagement.section if n < 4 else other_section,
                    width_mm=1200, depth_mm=700, x_mm=1000 * n, y_mm=1000)
        for n in range(1, 7)
    ]
    study = occupancy_study_create(engagement=engagement, name="在席率調査", actor=city_user)
    rounds = occupancy_rounds_generate(
        study=study, dates=[dt.date(2026, 7, 13), dt.date(2026, 7, 14)],
        times=[dt.time(9, 30), dt.time(13, 30)], actor=city_user,
    )
    return study, desks, rounds


STATES = ["present", "away", "absent", "meeting", "telework", "out"]


def test_stored_results_follow_every_kind_of_change(setup, engagement, floor, city_user,
                                                    other_section):
    study, desks, rounds = setup
    assert_stored_equals_fresh(study)  # created: no observations yet
    # a round recorded, then another, then a correction
    for i, round_obj in enumerate(rounds):
        occupancy_round_record(
            round=round_obj,
            states={d.pk: STATES[(i + j) % len(STATES)] for j, d in enumerate(desks)},
            actor=city_user,
        )
        assert_stored_equals_fresh(study)
    occupancy_round_record(round=rounds[0], states={desks[0].pk: "out"}, actor=city_user)
    assert_stored_equals_fresh(study)
    # the study's settings: margin, core hours, sections observed
    occupancy_study_update(study=study, actor=city_user, margin_percent=25)
    assert_stored_equals_fresh(study)
    occupancy_study_update(study=study, actor=city_user, core_hours_only=True,
                           core_start=dt.time(9, 0), core_end=dt.time(12, 0))
    assert_stored_equals_fresh(study)
    occupancy_study_update(study=study, actor=city_user, core_hours_only=False,
                           sections=[engagement.section])
    assert_stored_equals_fresh(study)
    occupancy_study_update(study=study, actor=city_user, sections=[])
    assert_stored_equals_fresh(study)
    # the staffing: added, changed, removed
    staffing_set(engagement=engagement, section=other_section, headcount=3, actor=city_user)
    assert_stored_equals_fresh(study)
    staffing_set(engagement=engagement, section=other_section, headcount=8, actor=city_user)
    assert_stored_equals_fresh(study)
    staffing_set(engagement=engagement, section=other_section, headcount=0, actor=city_user)
    assert_stored_equals_fresh(study)
    # the desks: moved to another section, added, removed
    desk_update(desk=desks[0], actor=city_user, section=other_section)
    assert_stored_equals_fresh(study)
    desk_create(engagement=engagement, actor=city_user, floor=floor, number="99",
                section=other_section, width_mm=1200, depth_mm=700)
    assert_stored_equals_fresh(study)
    desk_delete(desk=desks[1], actor=city_user)
    assert_stored_equals_fresh(study)
    # an Excel import moving a desk back and changing a headcount
    workbook = Workbook()
    with translation.override("ja"):
        sheet = workbook.active
        sheet.title = str(excel.DESK_SHEET.title)
        sheet.append([str(c.header) for c in excel.DESK_SHEET.columns])
        sheet.append(["03", floor.name, other_section.name, None, None,
                      1200, 700])
        staff = workbook.create_sheet(str(excel.STAFFING_SHEET.title))
        staff.append([str(c.header) for c in excel.STAFFING_SHEET.columns])
        staff.append([engagement.section.name, 11])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = excel.survey_import(engagement=engagement, file=buffer, actor=city_user)
    assert result.ok, result.errors
    assert Desk.objects.get(engagement=engagement, number="03").section == other_section
    assert_stored_equals_fresh(study)
    assert StudyResult.objects.get(study=study).headcount == 11


def test_pages_read_the_stored_results_without_aggregating(setup, city_user,
                                                           django_assert_num_queries):
    study, desks, rounds = setup
    occupancy_round_record(round=rounds[0], states={d.pk: "present" for d in desks},
                           actor=city_user)
    # the analysis is read from four tables, whatever the number of observations
    with django_assert_num_queries(4):
        analysis = study_analysis(study)
    assert analysis.stored
    assert analysis["overall"].average == 1  # still a mapping for the templates
    assert DeskResult.objects.filter(study=study).count() == len(desks)
    fresh = compute_study_analysis(study).overall.seats
    with django_assert_num_queries(2):
        assert recommended_seats(study.engagement) == fresh


def test_a_study_never_stored_is_computed(setup, city_user):
    study, desks, rounds = setup
    occupancy_round_record(round=rounds[0], states={d.pk: "present" for d in desks},
                           actor=city_user)
    StudyResult.objects.filter(study=study).delete()
    analysis = study_analysis(study)
    assert not analysis.stored
    assert analysis.overall.observed == len(desks)
