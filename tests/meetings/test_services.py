import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from engagements.choices import Role
from meetings import services
from meetings.choices import (
    ActionItemStatus,
    ApprovalKind,
    ApprovalStatus,
    AttendeeSide,
    MinutesStatus,
    Venue,
    WorkItem,
)
from meetings.models import ActionItem, ApprovalRequest, Decision, Meeting, Minutes
from meetings.workflows import APPROVAL_WORKFLOW, MINUTES_WORKFLOW

pytestmark = pytest.mark.django_db


# --- Meetings ---------------------------------------------------------------------------------
def test_meeting_create_records_members_by_side_and_guests(engagement, contractor, city_user):
    # when
    meeting = services.meeting_create(
        engagement=engagement, actor=contractor, title="キックオフ",
        starts_at=timezone.make_aware(dt.datetime(2026, 7, 10, 10)), venue=Venue.OFFICE,
        members=[city_user, contractor],
        guests=[{"name": "鈴木 一郎", "organisation": "西京区役所"}, {"name": ""}],
    )
    # then
    sides = {str(a): a.side for a in meeting.attendees.all()}
    assert sides == {
        "city": AttendeeSide.CITY, "contractor": AttendeeSide.CONTRACTOR,
        "鈴木 一郎": AttendeeSide.GUEST,
    }
    assert meeting.history.count() == 1


def test_web_meeting_needs_its_tool_and_writes_nothing_without(engagement, contractor):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            engagement=engagement, actor=contractor, title="Web打合せ",
            starts_at=timezone.now(), venue=Venue.WEB, web_tool="",
        )
    assert "web_tool" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_paid_app_must_be_approved_before_it_is_used(engagement, contractor, make_approval):
    pending = make_approval(kind=ApprovalKind.WEB_APP)
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            engagement=engagement, actor=contractor, title="Web打合せ",
            starts_at=timezone.now(), venue=Venue.WEB, web_tool="Zoom",
            web_app_approval=pending,
        )
    assert "承認" in error.value.message_dict["web_app_approval"][0]
    approved = make_approval(kind=ApprovalKind.WEB_APP, status=ApprovalStatus.APPROVED)
    meeting = services.meeting_create(
        engagement=engagement, actor=contractor, title="Web打合せ", starts_at=timezone.now(),
        venue=Venue.WEB, web_tool="Zoom", web_app_approval=approved,
    )
    assert meeting.web_app_approval == approved


def test_attendees_must_be_members(engagement, contractor, outsider):
    with pytest.raises(ValidationError):
        services.meeting_create(
            engagement=engagement, actor=contractor, title="x", starts_at=timezone.now(),
            members=[outsider],
        )
    assert not Meeting.objects.exists()


def test_city_staff_cannot_create_meetings(engagement, city_user):
    with pytest.raises(PermissionDenied):
        services.meeting_create(engagement=engagement, actor=city_user, title="x",
                                starts_at=timezone.now())


def test_meeting_with_confirmed_minutes_cannot_change(meeting, make_minutes, contractor):
    make_minutes(status=MinutesStatus.CONFIRMED)
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, actor=contractor, title="変更")
    meeting.refresh_from_db()
    assert meeting.title == "キックオフ打合せ"


# --- Minutes ----------------------------------------------------------------------------------
def test_minutes_create_starts_a_draft_with_one_status_row(meeting, contractor):
    minutes = services.minutes_create(meeting=meeting, actor=contractor)
    assert minutes.status == MinutesStatus.DRAFT and minutes.version == 1
    change = minutes.status_changes.get()
    assert (change.old_status, change.new_status, change.actor) == ("", "draft", contractor)


def test_minutes_update_adds_changes_and_removes_rows(minutes, contractor, city_user):
    # given
    services.minutes_update(
        minutes=minutes, actor=contractor, discussion="議論", next_meeting="7月24日",
        decisions=[{"text": "調査は7月中に行う"}, {"text": "削除される決定"}],
        action_items=[{"description": "日程表の送付", "owner": contractor,
                       "due_date": dt.date(2026, 7, 17)}],
    )
    first, second = minutes.decisions.all()
    # when
    services.minutes_update(
        minutes=minutes, actor=contractor, discussion="議論（修正）",
        decisions=[{"id": first.pk, "text": "調査は7月中に行う（修正）"}, {"text": "新しい決定"}],
        action_items=[],
    )
    # then
    assert [d.text for d in minutes.decisions.all()] == ["調査は7月中に行う（修正）", "新しい決定"]
    assert minutes.decisions.first().pk == first.pk
    assert not Decision.objects.filter(pk=second.pk).exists()
    assert not minutes.action_items.exists()


def test_action_item_needs_an_owner(minutes, contractor):
    with pytest.raises(ValidationError):
        services.minutes_update(minutes=minutes, actor=contractor, discussion="x",
                                action_items=[{"description": "誰かがやる"}])
    minutes.refresh_from_db()
    assert minutes.discussion == "業務計画を説明し、了承を得た。"


def test_request_confirmation_moves_draft_to_requested(minutes, contractor):
    services.minutes_request_confirmation(minutes=minutes, actor=contractor)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.REQUESTED
    assert minutes.status_changes.get().new_status == MinutesStatus.REQUESTED


def test_empty_minutes_cannot_be_sent_for_confirmation(minutes, contractor):
    Minutes.objects.filter(pk=minutes.pk).update(discussion="")
    minutes.refresh_from_db()
    with pytest.raises(ValidationError):
        services.minutes_request_confirmation(minutes=minutes, actor=contractor)
    assert not minutes.status_changes.exists()


def test_confirm_freezes_minutes_and_names_the_city(make_minutes, city_user, contractor):
    minutes = make_minutes(status=MinutesStatus.REQUESTED)
    services.minutes_confirm(minutes=minutes, actor=city_user)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CONFIRMED
    assert minutes.confirmed_by == city_user and minutes.confirmed_at is not None
    assert minutes.status_changes.get().actor == city_user
    with pytest.raises(ValidationError):
        services.minutes_update(minutes=minutes, actor=contractor, discussion="後から変更")


def test_return_needs_a_comment_and_records_it(make_minutes, city_user):
    minutes = make_minutes(status=MinutesStatus.REQUESTED)
    with pytest.raises(ValidationError):
        services.minutes_return(minutes=minutes, actor=city_user, comment=" ")
    services.minutes_return(minutes=minutes, actor=city_user, comment="出席者を追記してください")
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.RETURNED
    assert minutes.status_changes.get().comment == "出席者を追記してください"


def test_returned_minutes_can_be_edited_and_sent_again(make_minutes, contractor):
    minutes = make_minutes(status=MinutesStatus.RETURNED)
    services.minutes_update(minutes=minutes, actor=contractor, discussion="追記しました")
    services.minutes_request_confirmation(minutes=minutes, actor=contractor)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.REQUESTED


def test_contractor_cannot_confirm_own_minutes(make_minutes, contractor):
    minutes = make_minutes(status=MinutesStatus.REQUESTED)
    with pytest.raises(PermissionDenied):
        services.minutes_confirm(minutes=minutes, actor=contractor)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.REQUESTED
    assert not minutes.status_changes.exists()


def test_city_staff_cannot_ask_for_confirmation(minutes, city_user):
    with pytest.raises(PermissionDenied):
        services.minutes_request_confirmation(minutes=minutes, actor=city_user)
    assert not minutes.status_changes.exists()


# Written out, not read from the workflow: a wrong pair added to the table fails here.
MINUTES_ALLOWED = {
    ("draft", "requested"): "contractor",
    ("returned", "requested"): "contractor",
    ("requested", "confirmed"): "city_user",
    ("requested", "returned"): "city_user",
}
MINUTES_DISALLOWED = [
    (source, target)
    for source, target in itertools.product(MinutesStatus.values, MinutesStatus.values)
    if (source, target) not in MINUTES_ALLOWED
]


def test_the_minutes_workflow_has_exactly_the_allowed_pairs():
    assert set(MINUTES_WORKFLOW.transitions) == set(MINUTES_ALLOWED)


@pytest.mark.parametrize("pair", sorted(MINUTES_ALLOWED))
def test_allowed_minutes_transition_writes_the_status_and_one_row(pair, make_minutes, request):
    source, target = pair
    minutes = make_minutes(status=source)
    actor = request.getfixturevalue(MINUTES_ALLOWED[pair])
    services.minutes_transition(minutes=minutes, target=target, actor=actor, comment="理由")
    minutes.refresh_from_db()
    assert minutes.status == target
    assert minutes.version == 1  # the minutes' number, not an edit counter: unchanged
    change = minutes.status_changes.get()
    assert (change.old_status, change.new_status, change.actor, change.comment) == (
        source, target, actor, "理由")
ACTOR_FOR_TARGET = {
    MinutesStatus.DRAFT: "contractor", MinutesStatus.REQUESTED: "contractor",
    MinutesStatus.CONFIRMED: "city_user", MinutesStatus.RETURNED: "city_user",
}


@pytest.mark.parametrize("source,target", MINUTES_DISALLOWED)
def test_disallowed_minutes_transition_raises_and_writes_nothing(
    source, target, make_minutes, request
):
    minutes = make_minutes(status=source)
    actor = request.getfixturevalue(ACTOR_FOR_TARGET[target])
    history_before = minutes.history.count()
    with pytest.raises(ValidationError) as error:
        services.minutes_transition(minutes=minutes, target=target, actor=actor, comment="理由")
    assert "できません" in str(error.value)
    minutes.refresh_from_db()
    assert minutes.status == source
    assert not minutes.status_changes.exists()
    assert minutes.history.count() == history_before


def test_revise_creates_version_two_as_a_draft_copy(make_minutes, contractor, city_user):
    # given confirmed minutes with a decision and an action item
    confirmed = make_minutes(status=MinutesStatus.CONFIRMED)
    Decision.objects.create(minutes=confirmed, text="調査は7月中")
    ActionItem.objects.create(minutes=confirmed, description="日程表", owner=city_user,
                              status=ActionItemStatus.DONE)
    # when
    new = services.minutes_revise(minutes=confirmed, actor=contractor, reason="日付の誤記")
    # then
    assert (new.version, new.status, new.revision_reason) == (2, MinutesStatus.DRAFT, "日付の誤記")
    assert [d.text for d in new.decisions.all()] == ["調査は7月中"]
    assert new.action_items.get().status == ActionItemStatus.DONE
    assert new.status_changes.get().comment == "日付の誤記"
    confirmed.refresh_from_db()
    assert confirmed.status == MinutesStatus.CONFIRMED
    assert not confirmed.status_changes.exists()


def test_only_the_latest_confirmed_version_can_be_revised(make_minutes, contractor):
    first = make_minutes(status=MinutesStatus.CONFIRMED)
    services.minutes_revise(minutes=first, actor=contractor, reason="誤記")
    with pytest.raises(ValidationError):
        services.minutes_revise(minutes=first, actor=contractor, reason="もう一度")
    draft = make_minutes(status=MinutesStatus.DRAFT, version=5)
    with pytest.raises(ValidationError):
        services.minutes_revise(minutes=draft, actor=contractor, reason="下書き")
    assert Minutes.objects.count() == 3


def test_action_item_status_can_follow_up_on_confirmed_minutes(make_minutes, contractor):
    confirmed = make_minutes(status=MinutesStatus.CONFIRMED)
    item = ActionItem.objects.create(minutes=confirmed, description="x", owner=contractor)
    services.action_item_set_status(item=item, status=ActionItemStatus.DONE, actor=contractor)
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE


def test_overdue_means_open_and_past_its_due_date(minutes, contractor):
    item = ActionItem(minutes=minutes, description="x", owner=contractor,
                      due_date=dt.date(2026, 7, 1))
    assert item.is_overdue(today=dt.date(2026, 7, 2))
    assert not item.is_overdue(today=dt.date(2026, 7, 1))
    item.status = ActionItemStatus.DONE
    assert not item.is_overdue(today=dt.date(2026, 8, 1))


# --- Approvals --------------------------------------------------------------------------------
def test_subcontract_request_is_filed_as_requested(engagement, contractor):
    request = services.approval_request_create(
        engagement=engagement, actor=contractor, kind=ApprovalKind.SUBCONTRACT,
        title="文書量調査の再委託", subcontractor="株式会社京都ファイリング",
        work_items=[WorkItem.SURVEY], reason="専門技術が必要",
    )
    assert request.status == ApprovalStatus.REQUESTED
    assert request.status_changes.get().new_status == ApprovalStatus.REQUESTED


def test_wholesale_subcontract_is_refused_at_entry(engagement, contractor):
    with pytest.raises(ValidationError) as error:
        services.approval_request_create(
            engagement=engagement, actor=contractor, kind=ApprovalKind.SUBCONTRACT,
            title="全部", subcontractor="株式会社丸投げ", work_items=WorkItem.values,
            reason="人手不足",
        )
    assert "一括再委託" in error.value.message_dict["work_items"][0]
    assert not ApprovalRequest.objects.exists()


@pytest.mark.parametrize("field", ["subcontractor", "reason", "work_items"])
def test_subcontract_needs_subcontractor_part_and_reason(engagement, contractor, field):
    values = {"subcontractor": "株式会社A", "work_items": [WorkItem.SURVEY], "reason": "理由"}
    values[field] = [] if field == "work_items" else ""
    with pytest.raises(ValidationError) as error:
        services.approval_request_create(engagement=engagement, actor=contractor,
                                         kind=ApprovalKind.SUBCONTRACT, title="t", **values)
    assert field in error.value.message_dict


def test_city_staff_cannot_file_requests(engagement, city_user):
    with pytest.raises(PermissionDenied):
        services.approval_request_create(engagement=engagement, actor=city_user,
                                         kind=ApprovalKind.CONSULTATION, title="協議")


def test_approving_a_subcontract_needs_the_document(make_approval, city_user):
    request = make_approval()
    with pytest.raises(ValidationError):
        services.approval_decide(request=request, status=ApprovalStatus.APPROVED,
                                 actor=city_user)
    services.approval_decide(request=request, status=ApprovalStatus.APPROVED, actor=city_user,
                             document_number="京地自第123号",
                             document_date=dt.date(2026, 7, 20), comment="承認します")
    request.refresh_from_db()
    assert request.status == ApprovalStatus.APPROVED
    assert (request.document_number, request.decided_by) == ("京地自第123号", city_user)
    assert request.status_changes.get().new_status == ApprovalStatus.APPROVED


def test_consultation_can_be_answered_without_a_document(make_approval, city_user):
    request = make_approval(kind=ApprovalKind.CONSULTATION, title="書庫の扱い")
    services.approval_decide(request=request, status=ApprovalStatus.REJECTED, actor=city_user,
                             comment="現状維持とする")
    request.refresh_from_db()
    assert request.status == ApprovalStatus.REJECTED
    assert request.decision_comment == "現状維持とする"


def test_only_city_staff_decide(make_approval, contractor, administrator):
    request = make_approval(kind=ApprovalKind.CONSULTATION)
    for actor in (contractor, administrator):
        with pytest.raises(PermissionDenied):
            services.approval_decide(request=request, status=ApprovalStatus.APPROVED,
                                     actor=actor)
    assert not request.status_changes.exists()


def test_contractor_withdraws_a_pending_request(make_approval, contractor, city_user):
    request = make_approval()
    with pytest.raises(PermissionDenied):
        services.approval_withdraw(request=request, actor=city_user)
    services.approval_withdraw(request=request, actor=contractor, comment="不要になった")
    request.refresh_from_db()
    assert request.status == ApprovalStatus.WITHDRAWN
    assert request.status_changes.get().comment == "不要になった"


APPROVAL_ALLOWED = {
    ("requested", "approved"): "city_user",
    ("requested", "rejected"): "city_user",
    ("requested", "withdrawn"): "contractor",
}
APPROVAL_DISALLOWED = [
    (source, target)
    for source, target in itertools.product(ApprovalStatus.values, ApprovalStatus.values)
    if (source, target) not in APPROVAL_ALLOWED
]


def test_the_approval_workflow_has_exactly_the_allowed_pairs():
    assert set(APPROVAL_WORKFLOW.transitions) == set(APPROVAL_ALLOWED)


@pytest.mark.parametrize("pair", sorted(APPROVAL_ALLOWED))
def test_allowed_approval_transition_writes_the_status_and_one_row(pair, make_approval,
                                                                   request):
    source, target = pair
    approval = make_approval(status=source)
    actor = request.getfixturevalue(APPROVAL_ALLOWED[pair])
    services.approval_transition(request=approval, target=target, actor=actor, comment="回答",
                                 document_number="京地自第1号",
                                 document_date=dt.date(2026, 8, 1))
    approval.refresh_from_db()
    assert approval.status == target
    change = approval.status_changes.get()
    assert (change.old_status, change.new_status, change.actor) == (source, target, actor)


@pytest.mark.parametrize("source,target", APPROVAL_DISALLOWED)
def test_disallowed_approval_transition_raises_and_writes_nothing(
    source, target, make_approval, contractor, city_user
):
    request = make_approval(status=source)
    actor = contractor if target in (ApprovalStatus.WITHDRAWN, ApprovalStatus.REQUESTED) else (
        city_user
    )
    with pytest.raises(ValidationError):
        services.approval_transition(
            request=request, target=target, actor=actor, document_number="京地自第1号",
            document_date=dt.date(2026, 8, 1),
        )
    request.refresh_from_db()
    assert request.status == source
    assert not request.status_changes.exists()


# --- Suggestions and attachments --------------------------------------------------------------
def test_suggestion_is_logged_by_the_contractor_and_answered_by_the_city(
    engagement, contractor, city_user
):
    suggestion = services.suggestion_create(
        engagement=engagement, actor=contractor, title="フリーアドレスの試行", body="2週間試行",
    )
    with pytest.raises(PermissionDenied):
        services.suggestion_respond(suggestion=suggestion, actor=contractor, response="x")
    services.suggestion_respond(suggestion=suggestion, actor=city_user, response="検討します")
    suggestion.refresh_from_db()
    assert (suggestion.response, suggestion.responded_by) == ("検討します", city_user)


def test_attachment_is_stored_under_the_engagement(meeting, contractor, engagement):
    upload = SimpleUploadedFile("資料1.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    attachment = services.attachment_add(actor=contractor, upload=upload, meeting=meeting)
    assert attachment.file.name.startswith(f"engagement_{engagement.pk}/meetings/")
    assert (attachment.original_name, attachment.size) == ("資料1.pdf", 13)


@override_settings(OFFICE_REFORM={"UPLOAD_MAX_BYTES": {"pdf": 10}})
def test_attachment_over_the_limit_is_refused(meeting, contractor):
    upload = SimpleUploadedFile("big.pdf", b"x" * 11)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=contractor, upload=upload, meeting=meeting)
    assert "大きすぎ" in str(error.value)
    assert not meeting.attachments.exists()


def test_city_may_attach_its_answer_to_an_approval(make_approval, city_user, administrator):
    request = make_approval()
    upload = SimpleUploadedFile("承認通知.pdf", b"%PDF")
    services.attachment_add(actor=city_user, upload=upload, approval=request)
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=administrator, upload=upload, approval=request)
    assert request.attachments.count() == 1


@pytest.mark.parametrize("role", [Role.CITY_STAFF, Role.ADMINISTRATOR])
def test_only_the_contractor_writes_minutes(role, member_by_role, minutes):
    with pytest.raises(PermissionDenied):
        services.minutes_update(minutes=minutes, actor=member_by_role[role], discussion="x")


def test_stage_progress_is_the_share_of_meetings_with_confirmed_minutes(
    engagement, meeting, make_meeting, make_minutes
):
    from meetings.selectors import stage_progress

    assert stage_progress(engagement).percent == 0
    first, second = meeting, make_meeting("第2回")
    make_minutes(status=MinutesStatus.CONFIRMED, target=first)
    make_minutes(status=MinutesStatus.REQUESTED, target=second)
    progress = stage_progress(engagement)
    assert progress.percent == 50
    assert str(progress.summary) == "打合せ2件中1件の議事録が確定"
