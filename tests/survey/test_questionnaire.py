"""Staff questionnaire: anonymity, the minimum group size, wave status, views and roles."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from engagements.choices import OrganisationKind, Role
from engagements.models import Organisation
from survey.models import QuestionnaireResponse, QuestionnaireWave, SectionStaffing
from survey.models.questionnaire import SCORE_FIELDS, WaveKind, WaveStatus
from survey.selectors.questionnaire import questionnaire_overview, report_context, wave_result
from survey.services.questionnaire import (
    questionnaire_response_submit,
    questionnaire_wave_create,
    questionnaire_wave_transition,
)
from survey.workflows import WAVE_WORKFLOW

SUPPRESSED = "回答数が5件未満のため表示しません"


def answers(value: int = 3, **overrides) -> dict[str, int]:
    data = {name: value for name in SCORE_FIELDS}
    data.update(overrides)
    return data


@pytest.fixture
def open_wave(engagement, city_user):
    wave = questionnaire_wave_create(engagement=engagement, kind=WaveKind.BEFORE, actor=city_user)
    return questionnaire_wave_transition(wave=wave, target=WaveStatus.OPEN, actor=city_user)


@pytest.fixture
def fill(open_wave, city_user):
    def do(count: int, *, section=None, value: int = 3, comment: str = "", wave=None):
        for _ in range(count):
            questionnaire_response_submit(
                wave=wave or open_wave, answers=answers(value), section=section,
                comment=comment, actor=city_user,
            )

    return do


def form_data(value: int = 4, **extra) -> dict:
    data = {name: str(value) for name in SCORE_FIELDS}
    data.update(section="", comment="")
    data.update(extra)
    return data


# --- Models and services -------------------------------------------------------------------


def test_a_response_has_no_link_to_a_person_nor_a_time():
    # given the response model
    fields = {f.name: f for f in QuestionnaireResponse._meta.get_fields()}
    # then it has no user, no date or time field, no history, and a random key
    assert not any(f.is_relation and f.related_model.__name__ == "User" for f in fields.values()
                   if f.is_relation and f.related_model)
    assert not [name for name, f in fields.items()
                if f.get_internal_type() in {"DateTimeField", "DateField", "TimeField"}]
    assert not hasattr(QuestionnaireResponse, "history")
    assert fields["id"].get_internal_type() == "UUIDField"


def test_submit_stores_the_answers_without_the_actor(open_wave, city_user):
    # when
    response = questionnaire_response_submit(
        wave=open_wave, answers=answers(4), comment="  机が狭い ", actor=city_user
    )
    # then
    response.refresh_from_db()
    assert response.satisfaction_desk == 4
    assert response.comment == "机が狭い"
    assert response.section is None
    assert city_user.username not in str(QuestionnaireResponse.objects.values().get())


def test_submit_refuses_a_wave_that_is_not_open(engagement, city_user):
    # given a wave in preparation
    wave = questionnaire_wave_create(engagement=engagement, kind=WaveKind.AFTER, actor=city_user)
    # when / then
    with pytest.raises(ValidationError):
        questionnaire_response_submit(wave=wave, answers=answers(), actor=city_user)
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.parametrize("bad", [{"satisfaction_desk": 0}, {"importance_storage": 6}])
def test_submit_refuses_a_score_outside_1_to_5(open_wave, city_user, bad):
    with pytest.raises(ValidationError):
        questionnaire_response_submit(wave=open_wave, answers=answers(**bad), actor=city_user)
    assert not QuestionnaireResponse.objects.exists()


def test_submit_refuses_a_missing_answer(open_wave, city_user):
    incomplete = answers()
    del incomplete["telework_readiness"]
    with pytest.raises(ValidationError):
        questionnaire_response_submit(wave=open_wave, answers=incomplete, actor=city_user)
    assert not QuestionnaireResponse.objects.exists()


def test_submit_refuses_a_section_of_another_site(open_wave, city_user, other_engagement):
    with pytest.raises(ValidationError):
        questionnaire_response_submit(
            wave=open_wave, answers=answers(), section=other_engagement.section, actor=city_user
        )
    assert not QuestionnaireResponse.objects.exists()


def test_the_contractor_cannot_answer_or_open_a_wave(open_wave, contractor):
    with pytest.raises(PermissionDenied):
        questionnaire_response_submit(wave=open_wave, answers=answers(), actor=contractor)
    with pytest.raises(PermissionDenied):
        questionnaire_wave_transition(wave=open_wave, target=WaveStatus.CLOSED, actor=contractor)
    assert not QuestionnaireResponse.objects.exists()


def test_closing_a_wave_records_one_history_row(open_wave, city_user):
    # given
    rows_before = open_wave.history.count()
    # when
    questionnaire_wave_transition(
        wave=open_wave, target=WaveStatus.CLOSED, actor=city_user, note="締切"
    )
    # then
    open_wave.refresh_from_db()
    assert open_wave.status == WaveStatus.CLOSED
    assert open_wave.history.count() == rows_before + 1
    latest = open_wave.history.latest()
    assert latest.history_user == city_user
    assert latest.history_change_reason == "締切"


ALLOWED = {
    (WaveStatus.PREPARING, WaveStatus.OPEN),
    (WaveStatus.OPEN, WaveStatus.CLOSED),
    (WaveStatus.CLOSED, WaveStatus.OPEN),
}
DISALLOWED = [
    (s, t) for s in WaveStatus.values for t in WaveStatus.values if (s, t) not in ALLOWED
]


def test_the_wave_workflow_has_exactly_the_allowed_pairs():
    assert set(WAVE_WORKFLOW.transitions) == ALLOWED


def test_a_transition_writes_one_status_change_row(open_wave, city_user):
    questionnaire_wave_transition(wave=open_wave, target=WaveStatus.CLOSED, actor=city_user,
                                  note="締切")
    change = open_wave.status_changes.get(new_status=WaveStatus.CLOSED)
    assert (change.old_status, change.actor, change.comment) == (
        WaveStatus.OPEN, city_user, "締切")


@pytest.mark.parametrize("source,target", DISALLOWED)
def test_disallowed_transition_raises_and_writes_nothing(engagement, city_user, source, target):
    wave = QuestionnaireWave.objects.create(engagement=engagement, kind="before", status=source)
    rows = wave.history.count()
    with pytest.raises(ValidationError):
        questionnaire_wave_transition(wave=wave, target=target, actor=city_user)
    wave.refresh_from_db()
    assert wave.status == source
    assert wave.history.count() == rows
    assert not wave.status_changes.exists()


def test_one_wave_of_each_kind(engagement, city_user, open_wave):
    with pytest.raises(ValidationError):
        questionnaire_wave_create(engagement=engagement, kind=WaveKind.BEFORE, actor=city_user)


# --- Aggregates ----------------------------------------------------------------------------


def test_no_figure_for_fewer_than_five_answers(open_wave, fill):
    # given four answers
    fill(4, value=5, comment="一件目")
    # when
    result = wave_result(open_wave)
    # then only the count is known
    assert result.n == 4
    assert not result.shown
    assert result.items == {} and result.comments == [] and result.groups == []


def test_five_answers_give_means_distribution_and_sorted_comments(open_wave, fill, city_user):
    # given five answers, two with comments
    fill(3, value=2)
    questionnaire_response_submit(
        wave=open_wave, answers=answers(5), comment="収納が足りない", actor=city_user
    )
    questionnaire_response_submit(
        wave=open_wave, answers=answers(5), comment="会議室が足りない", actor=city_user
    )
    # when
    result = wave_result(open_wave)
    # then
    assert result.shown and result.n == 5
    assert result.items["satisfaction_desk"].mean == pytest.approx(3.2)
    assert result.items["satisfaction_desk"].counts == [0, 3, 0, 0, 2]
    assert result.comments == sorted(["収納が足りない", "会議室が足りない"])
    assert result.areas[0]["gap"] == pytest.approx(0)


@pytest.fixture
def two_sections(engagement):
    a = engagement.section
    b = Organisation.objects.create(
        name="第二担当", parent=engagement.client, kind=OrganisationKind.SECTION
    )
    for section in (a, b):
        SectionStaffing.objects.create(engagement=engagement, section=section, headcount=10)
    return a, b


def test_sections_are_shown_only_for_groups_of_five_or_more(open_wave, fill, two_sections):
    # given 6 answers from section A, 5 from B (value 1), 2 not stated
    a, b = two_sections
    fill(6, section=a, value=4)
    fill(5, section=b, value=1)
    fill(5, section=None, value=2)
    # when
    groups = wave_result(open_wave).groups
    # then both sections and the pool of the not-stated answers appear
    assert [(g.label, g.n) for g in groups] == [
        (a.name, 6), (b.name, 5), ("その他の係・無回答", 5)
    ]
    assert groups[1].means["satisfaction_desk"] == pytest.approx(1)


def test_a_small_remainder_pools_the_smallest_section_too(open_wave, fill, two_sections):
    # given 6 from A, 5 from B and 2 not stated: the 2 could be worked out from the total
    a, b = two_sections
    fill(6, section=a)
    fill(5, section=b)
    fill(2, section=None)
    # when
    groups = wave_result(open_wave).groups
    # then B joins the pool (7), and A is shown beside it
    assert [(g.label, g.n) for g in groups] == [(a.name, 6), ("その他の係・無回答", 7)]


def test_no_breakdown_when_only_one_group_is_large_enough(open_wave, fill, two_sections):
    a, b = two_sections
    fill(6, section=a)
    fill(3, section=b)
    assert wave_result(open_wave).groups == []


def test_overview_compares_the_two_waves(engagement, city_user, fill, open_wave):
    # given both waves with five answers each
    after = questionnaire_wave_create(engagement=engagement, kind=WaveKind.AFTER, actor=city_user)
    after = questionnaire_wave_transition(wave=after, target=WaveStatus.OPEN, actor=city_user)
    fill(5, value=2)
    fill(5, value=4, wave=after)
    # when
    overview = report_context(engagement)
    # then
    assert len(overview["waves"]) == 2
    assert overview["comparison"].startswith("<svg")
    assert "改革前" in overview["comparison"] or "Before" in overview["comparison"]
    assert "<svg" in overview["waves"][0]["charts"]["means"]


def test_overview_query_count_does_not_grow_with_answers(
    engagement, fill, open_wave, django_assert_max_num_queries
):
    fill(40)
    with django_assert_max_num_queries(6):
        questionnaire_overview(engagement)


# --- Views and permissions -----------------------------------------------------------------


def url(name: str, engagement, **kwargs) -> str:
    return reverse(f"survey:{name}", kwargs={"engagement_pk": engagement.pk, **kwargs})


@pytest.mark.parametrize(
    "role,expected", [(Role.CITY_STAFF, 200), (Role.CONTRACTOR, 200),
                      (Role.ADMINISTRATOR, 200), ("outsider", 404)]
)
def test_results_pages_by_role(client, member_by_role, engagement, open_wave, role, expected):
    client.force_login(member_by_role[role])
    assert client.get(url("questionnaire_index", engagement)).status_code == expected
    response = client.get(url("questionnaire_wave", engagement, wave_pk=open_wave.pk))
    assert response.status_code == expected


@pytest.mark.parametrize(
    "role,expected", [(Role.CITY_STAFF, 302), (Role.CONTRACTOR, 403),
                      (Role.ADMINISTRATOR, 403), ("outsider", 404)]
)
def test_answering_by_role(client, member_by_role, engagement, open_wave, role, expected):
    # when a member of each role posts an answer
    client.force_login(member_by_role[role])
    client.post(url("questionnaire_kiosk_start", engagement, wave_pk=open_wave.pk), {"pin": ""})
    response = client.post(
        url("questionnaire_answer", engagement, wave_pk=open_wave.pk), form_data()
    )
    # then only city staff may, and only their answer is stored
    assert response.status_code == expected
    assert QuestionnaireResponse.objects.count() == (1 if expected == 302 else 0)


def test_a_wave_of_another_engagement_answers_404(client, city_user, engagement, make_engagement,
                                                 make_member):
    other = make_engagement("第三の案件")
    make_member(other, Role.CITY_STAFF, "other-city")
    wave = QuestionnaireWave.objects.create(engagement=other, kind="before", status="open")
    client.force_login(city_user)
    assert client.get(url("questionnaire_wave", engagement, wave_pk=wave.pk)).status_code == 404


def test_answer_form_saves_and_shows_a_blank_form_for_the_next_person(
    client, city_user, engagement, open_wave
):
    # given a running kiosk
    client.force_login(city_user)
    client.post(url("questionnaire_kiosk_start", engagement, wave_pk=open_wave.pk), {"pin": ""})
    # when
    response = client.post(
        url("questionnaire_answer", engagement, wave_pk=open_wave.pk),
        form_data(5, comment="ありがとう"), follow=True,
    )
    # then
    assert "回答ありがとうございました" in response.content.decode()
    assert QuestionnaireResponse.objects.get().comment == "ありがとう"
    page = client.get(url("questionnaire_answer", engagement, wave_pk=open_wave.pk))
    assert "checked" not in page.content.decode()
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]


def test_an_incomplete_answer_shows_the_message_and_saves_nothing(
    client, city_user, engagement, open_wave
):
    client.force_login(city_user)
    client.post(url("questionnaire_kiosk_start", engagement, wave_pk=open_wave.pk), {"pin": ""})
    data = form_data()
    del data["paperless_readiness"]
    response = client.post(url("questionnaire_answer", engagement, wave_pk=open_wave.pk), data)
    assert response.status_code == 200
    assert "1から5のいずれかを選んでください" in response.content.decode()
    assert not QuestionnaireResponse.objects.exists()


def test_results_page_hides_figures_under_five(client, contractor, engagement, open_wave, fill):
    fill(3, comment="秘密の意見")
    client.force_login(contractor)
    body = client.get(url("questionnaire_wave", engagement, wave_pk=open_wave.pk)).content
    text = body.decode()
    assert SUPPRESSED in text
    assert "秘密の意見" not in text


def test_results_page_shows_charts_from_five(client, contractor, engagement, open_wave, fill):
    fill(5, comment="意見")
    client.force_login(contractor)
    text = client.get(url("questionnaire_wave", engagement, wave_pk=open_wave.pk)).content.decode()
    assert SUPPRESSED not in text
    assert text.count("<svg") >= 2
    assert "意見" in text


def test_city_staff_open_and_close_a_wave_through_the_page(client, city_user, engagement):
    client.force_login(city_user)
    response = client.post(url("questionnaire_wave_create", engagement), {"kind": "before"})
    wave = QuestionnaireWave.objects.get()
    assert response.status_code == 302
    client.post(url("questionnaire_wave_transition", engagement, wave_pk=wave.pk),
                {"target": "open"})
    wave.refresh_from_db()
    assert wave.status == WaveStatus.OPEN
    response = client.post(url("questionnaire_wave_transition", engagement, wave_pk=wave.pk),
                           {"target": "preparing"}, follow=True)
    wave.refresh_from_db()
    assert wave.status == WaveStatus.OPEN
    assert "にはできません" in response.content.decode()
