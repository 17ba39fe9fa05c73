"""Deleting a surveyed desk or storage unit that a proposal's layout uses is refused with the
alternatives named, never a 500 (issue 11, item 7)."""

import pytest
from django.urls import reverse

from proposals import services as proposal_services
from survey.models import Desk, StorageUnit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["desk", "storage"])
def test_delete_of_an_item_used_by_alternatives_is_refused_naming_them(
    client, city_user, contractor, engagement, proposal, survey_layout, kind
):
    proposal_services.alternative_create(proposal=proposal, label="案A", actor=contractor)
    proposal_services.alternative_create(proposal=proposal, label="案B", actor=contractor)
    item = survey_layout["desks"][0] if kind == "desk" else survey_layout["unit"]
    client.force_login(city_user)
    response = client.post(reverse(f"survey:{kind}_delete", args=[engagement.pk, item.pk]),
                           follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "削除できません" in body
    assert "改善提案 案A" in body and "改善提案 案B" in body
    model = Desk if kind == "desk" else StorageUnit
    assert model.objects.filter(pk=item.pk).exists()
    assert model.history.filter(id=item.pk, history_type="-").count() == 0


def test_an_unused_desk_is_still_deleted(client, city_user, engagement, desk):
    client.force_login(city_user)
    response = client.post(reverse("survey:desk_delete", args=[engagement.pk, desk.pk]))
    assert response.status_code == 302
    assert not Desk.objects.filter(pk=desk.pk).exists()
