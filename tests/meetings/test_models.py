import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from engagements.models import Engagement
from meetings.choices import ApprovalKind, Venue, WorkItem
from meetings.links import is_linkable, linkable_content_types
from meetings.models import ApprovalRequest, Attendee, Decision, Minutes

pytestmark = pytest.mark.django_db


def test_attendee_is_a_member_or_a_named_guest_in_the_database(meeting, contractor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendee.objects.create(meeting=meeting, user=contractor, name="二重", side="guest")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendee.objects.create(meeting=meeting, side="guest")
    with pytest.raises(ValidationError):
        Attendee(meeting=meeting, side="guest", name=" ").full_clean()


def test_a_minutes_version_exists_once_per_meeting(minutes, contractor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Minutes.objects.create(meeting=minutes.meeting, version=1, written_by=contractor)


def test_meeting_cannot_end_before_it_starts(make_meeting, meeting):
    meeting.ends_at = meeting.starts_at.replace(hour=9)
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "ends_at" in error.value.message_dict


def test_place_names_the_web_tool_of_a_web_meeting(make_meeting):
    web = make_meeting(venue=Venue.WEB, web_tool="Microsoft Teams", place="")
    assert web.place_display == "Web会議（Microsoft Teams）"


def test_wholesale_subcontract_fails_the_models_own_check(engagement, contractor):
    request = ApprovalRequest(engagement=engagement, kind=ApprovalKind.SUBCONTRACT, title="t",
                              subcontractor="A社", reason="r", work_items=WorkItem.values,
                              requested_by=contractor)
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "work_items" in error.value.message_dict
    request.work_items = [WorkItem.SURVEY, WorkItem.DISPOSAL]
    request.full_clean()  # part of the work is fine


def test_decisions_link_only_to_registered_models(minutes, engagement):
    # proposals are registered; procurement and disposal add their models
    models = [ct.model for ct in linkable_content_types()]
    assert "proposal" in models and "engagement" not in models
    engagement_type = ContentType.objects.get_for_model(Engagement)
    assert not is_linkable(engagement_type)
    decision = Decision(minutes=minutes, text="t", linked_type=engagement_type,
                        linked_id=engagement.pk)
    with pytest.raises(ValidationError):
        decision.full_clean()


def test_registered_model_of_another_engagement_is_refused(minutes, other_engagement, monkeypatch):
    monkeypatch.setattr("meetings.links.LINKABLE_MODELS", ("meetings.ApprovalRequest",))
    from meetings.models import ApprovalRequest as Request

    foreign = Request.objects.create(engagement=other_engagement, kind=ApprovalKind.CONSULTATION,
                                     title="他の案件", requested_by=minutes.written_by)
    decision = Decision(minutes=minutes, text="t", linked_id=foreign.pk,
                        linked_type=ContentType.objects.get_for_model(Request))
    with pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert "この案件のものではありません" in str(error.value)


def test_the_in_person_venue_names_no_office_of_its_own():
    # given any engagement (the label is the same in all of them)
    from django.utils import translation

    from meetings.choices import Venue

    # when the venue is shown in Japanese
    with translation.override("ja"):
        label = str(Venue.OFFICE.label)
    # then it says in person, not the model office's department
    assert label == "対面（庁舎内）"
    assert "推進室" not in label
