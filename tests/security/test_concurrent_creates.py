"""Simultaneous creates: the database's unique constraint refuses the second insert; the
user gets a form error, not a 500 (item 9).

Two requests that both pass ``full_clean`` are simulated by switching the model's own
uniqueness checks off, so the insert reaches the database's constraint as the later of two
simultaneous requests does.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from proposals import services as proposal_services
from proposals.models import Alternative
from survey.models import Desk, SectionStaffing

pytestmark = pytest.mark.django_db


@pytest.fixture
def race(monkeypatch):
    """The model's checks pass (the other request has not committed when this one checks)."""

    def lose(model):
        monkeypatch.setattr(model, "validate_unique", lambda self, exclude=None: None)
        monkeypatch.setattr(model, "validate_constraints", lambda self, exclude=None: None)

    return lose


def test_desk_number_race_gives_a_form_error(client, city_user, engagement, floor, section,
                                             make_desk, race):
    make_desk("RACE-1")
    race(Desk)
    client.force_login(city_user)
    response = client.post(reverse("survey:desk_create", args=[engagement.pk]), {
        "number": "RACE-1", "floor": floor.pk, "section": section.pk, "user_role": "staff",
        "desk_type": "single_pedestal", "size": "1200x700", "condition": "good",
        "monitor_count": 1, "under_desk_storage": "drawers", "document_fm": "0",
        "power_outlets": 0, "lan_outlets": 0,
    })
    assert response.status_code == 200
    assert "RACE-1" in response.content.decode()
    assert "他の人が追加" in response.content.decode()
    assert Desk.objects.filter(number="RACE-1").count() == 1


def test_alternative_label_race_gives_a_field_error(proposal, contractor, survey_layout, race):
    proposal_services.alternative_create(proposal=proposal, label="RACE", actor=contractor)
    race(Alternative)
    with pytest.raises(ValidationError) as info:
        proposal_services.alternative_create(proposal=proposal, label="RACE", actor=contractor)
    assert "label" in info.value.message_dict
    assert Alternative.objects.filter(label="RACE").count() == 1


def test_staffing_row_race_gives_a_form_error_and_saves_nothing(
    client, city_user, engagement, section, other_section, race, monkeypatch
):
    SectionStaffing.objects.create(engagement=engagement, section=section, headcount=3)
    race(SectionStaffing)
    # this request read "no row yet" just before the other request inserted it
    monkeypatch.setattr(SectionStaffing.objects, "select_for_update",
                        lambda *a, **k: SectionStaffing.objects.none())
    client.force_login(city_user)
    response = client.post(reverse("survey:staffing", args=[engagement.pk]), {
        f"section_{other_section.pk}": 2, f"section_{section.pk}": 5,
    })
    assert response.status_code == 200
    assert "他の人が保存" in response.content.decode()
    assert list(SectionStaffing.objects.values_list("section_id", "headcount")) == [
        (section.pk, 3)
    ]
