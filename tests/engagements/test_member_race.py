"""Twenty simultaneous adds of one person give one membership and nineteen messages."""

import pytest
from django.test import Client
from django.urls import reverse

from engagements import services
from engagements.choices import Role
from engagements.models import Membership
from tests.race import RACERS, race


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_adds_of_one_member_give_one_row(
        administrator, city_user, contractor, engagement, make_engagement, make_user):
    # given somebody the administrator works with in another engagement
    elsewhere = make_engagement("共通の案件")
    services.membership_set(engagement=elsewhere, user=administrator, role=Role.ADMINISTRATOR)
    person = make_user("tanaka", last_name="田中", first_name="一")
    services.membership_set(engagement=elsewhere, user=person, role=Role.CITY_STAFF)
    url = reverse("engagements:members", args=[engagement.pk])
    clients = []
    for _ in range(RACERS):
        client = Client()
        client.force_login(administrator)
        clients.append(client)
    # when twenty requests add them at the same moment
    results = race(lambda i: clients[i].post(url, {"action": "add", "add-username": "tanaka",
                                                   "add-role": Role.CITY_STAFF}))
    # then one membership, one success, and nineteen pages saying so (no 500)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert Membership.all_objects.filter(engagement=engagement, user=person).count() == 1
    assert sorted(r.status_code for r in results) == [200] * (RACERS - 1) + [302]
    for response in results:
        if response.status_code == 200:
            html = response.content.decode()
            assert ("田中 一 さんはすでにこの案件のメンバーです" in html
                    or "田中 一 さんはたった今ほかの人がこの案件に追加しました" in html), html
