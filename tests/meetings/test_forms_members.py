"""Attendees and owners are offered from the engagement's current members only."""

from engagements.choices import Role
from engagements.models import Membership
from meetings.forms import engagement_users


def test_an_ended_membership_is_no_longer_offered(engagement, make_member):
    kept = make_member(engagement, Role.CONTRACTOR, "kept")
    ended = make_member(engagement, Role.CONTRACTOR, "ended")
    Membership.all_objects.filter(engagement=engagement, user=ended).update(is_active=False)
    offered = list(engagement_users(engagement))
    assert kept in offered
    assert ended not in offered
