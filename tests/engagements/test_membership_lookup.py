"""Every page in an engagement reads the membership live (one plain query) and the engagement
from the cache under its data generation."""

import pytest
from django.db import transaction
from django.urls import reverse

from engagements.models import Membership

pytestmark = pytest.mark.django_db


def dashboard(client, engagement):
    return client.get(reverse("engagements:dashboard", args=[engagement.pk]))


def test_an_ended_membership_is_refused_at_once_though_the_engagement_is_cached(
        client, city_user, engagement):
    client.force_login(city_user)
    for _twice in range(2):
        assert dashboard(client, engagement).status_code == 200
    Membership.objects.filter(user=city_user, engagement=engagement).update(is_active=False)
    assert dashboard(client, engagement).status_code == 404


def test_a_changed_engagement_shows_at_once(client, city_user, engagement,
                                            django_capture_on_commit_callbacks):
    client.force_login(city_user)
    for _twice in range(2):
        assert engagement.title in dashboard(client, engagement).content.decode()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # the admin
        engagement.title = "改題した案件"
        engagement.save()
    assert "改題した案件" in dashboard(client, engagement).content.decode()


def test_the_cached_engagement_costs_no_query(client, city_user, engagement,
                                              django_assert_num_queries):
    client.force_login(city_user)
    for _twice in range(2):
        dashboard(client, engagement)
    # session, user, membership with the data generation, the count of other engagements
    with django_assert_num_queries(4):
        assert dashboard(client, engagement).status_code == 200
