import datetime as dt

import pytest

from engagements.choices import Role
from engagements.history import history_entries
from engagements.models import Membership
from engagements.services import membership_set

pytestmark = pytest.mark.django_db


def test_update_records_who_when_before_and_after(engagement, make_user):
    # given
    editor = make_user("editor")
    # when
    engagement.floor = "5階"
    engagement._history_user = editor
    engagement.save()
    # then
    newest = history_entries(engagement)[0]
    assert newest.who == editor
    assert newest.when is not None
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("階", "3階", "5階")]


def test_membership_set_writes_one_history_row_per_real_change(engagement, make_user):
    user, actor = make_user("u"), make_user("actor")
    membership_set(engagement=engagement, user=user, role=Role.CITY_STAFF, actor=actor)
    membership_set(engagement=engagement, user=user, role=Role.CITY_STAFF, actor=actor)
    membership = Membership.objects.get(engagement=engagement, user=user)
    assert membership.history.count() == 1

    membership_set(engagement=engagement, user=user, role=Role.CONTRACTOR, actor=actor)
    membership.refresh_from_db()
    assert membership.role == Role.CONTRACTOR
    assert membership.history.count() == 2
    assert membership.history.first().history_user == actor


def test_deletion_is_recorded(engagement, make_user):
    user = make_user("u")
    membership = membership_set(engagement=engagement, user=user, role=Role.CITY_STAFF)
    pk = membership.pk
    membership.delete()
    assert Membership.history.filter(id=pk, history_type="-").count() == 1


def test_history_entries_take_a_constant_number_of_queries(
    engagement, make_user, django_assert_max_num_queries
):
    for floor in range(30):
        engagement.floor = f"{floor}階"
        engagement._history_user = make_user(f"editor{floor}")
        engagement.save()
    # the records with their users, then one query per foreign key (client, section)
    with django_assert_max_num_queries(3):
        entries = history_entries(engagement)
        assert len(entries) == 31
        assert all(e.who.username for e in entries[:-1])


def test_values_are_shown_as_people_read_them(engagement, make_engagement):
    # given the section and the contract start changed
    new_section = make_engagement("別の案件").section
    old_section = engagement.section
    engagement.section = new_section
    engagement.contract_start = dt.date(2026, 8, 1)
    engagement.save()
    # then the history names the sections and writes the date in the era
    changes = {c.label: (str(c.old), str(c.new)) for c in history_entries(engagement)[0].changes}
    assert changes["対象担当"] == (old_section.name, new_section.name)
    assert changes["契約開始日"] == ("令和8年7月1日", "令和8年8月1日")


def test_people_are_named_family_name_first(engagement, make_user, client, city_user):
    # given a membership created by a named user
    actor = make_user("editor", last_name="佐藤", first_name="健")
    member = make_user("member", last_name="山田", first_name="花子")
    membership = membership_set(
        engagement=engagement, user=member, role=Role.CITY_STAFF, actor=actor
    )
    # then the history names the member and the author in Japanese order
    entry = history_entries(membership)[0]
    assert {c.label: str(c.new) for c in entry.changes}["ユーザー"] == "山田 花子"
    client.force_login(city_user)
    engagement.floor = "6階"
    engagement._history_user = actor
    engagement.save()
    page = client.get(f"/engagements/{engagement.pk}/about/").content.decode()
    assert "佐藤 健" in page


def test_a_list_of_choices_is_shown_by_its_labels(engagement, contractor):
    from meetings.choices import ApprovalKind, WorkItem
    from meetings.models import ApprovalRequest

    request = ApprovalRequest.objects.create(
        engagement=engagement, kind=ApprovalKind.SUBCONTRACT, title="再委託",
        subcontractor="株式会社計測", work_items=[WorkItem.SURVEY], reason="書庫の計測",
        requested_by=contractor,
    )
    changes = {c.label: str(c.new) for c in history_entries(request)[0].changes}
    assert changes["再委託する業務の範囲"] == str(WorkItem.SURVEY.label)


def test_the_edit_version_counter_is_not_listed_as_a_change(engagement, make_user):
    # given an edit that also raises the record's edit version (a form's stale check)
    editor = make_user("editor")
    engagement.floor = "6階"
    engagement.bump_version()
    engagement._history_user = editor
    # when it is saved
    engagement.save()
    # then the history names the fact that changed, not the counter
    newest = history_entries(engagement)[0]
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("階", "3階", "6階")]
    created = history_entries(engagement)[-1]
    assert "版" not in [c.label for c in created.changes]
