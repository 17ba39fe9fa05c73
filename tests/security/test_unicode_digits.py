"""Ids typed with digits that are not ASCII ("²", "١", "３") are not ids: a page answers as
for any other bad id, never a 500 (``str.isdigit`` accepts them, ``int`` does not)."""

import pytest
from django.urls import reverse

from engagements.input_guard import as_id
from survey.selectors import baseline_item

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["²", "١", "３", "1²", "", "-1", "1" * 19])
def test_only_ascii_digits_are_an_id(text):
    assert as_id(text) is None


def test_an_id_is_read_as_a_number():
    assert as_id("42") == 42


@pytest.mark.parametrize("floor", ["²", "３"])
def test_a_desk_form_opened_for_a_floor_written_in_other_digits_opens_without_it(
        client, engagement, city_user, floor):
    client.force_login(city_user)
    response = client.get(reverse("survey:desk_create", args=[engagement.pk]),
                          {"floor": floor})
    assert response.status_code == 200


def test_a_baseline_key_with_other_digits_names_nothing(engagement):
    assert baseline_item(engagement, "desk:²") == (None, None)
