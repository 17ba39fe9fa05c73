import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from engagements.choices import Role
from meetings import services
from meetings.choices import (
    ActionItemStatus,
    ApprovalKind,
    ApprovalStatus,
    MinutesStatus,
    WorkItem,
)
from meetings.models import ActionItem, ApprovalRequest, Decision, Meeting
from tests.downloads import download_names

pytestmark = pytest.mark.django_db


def url(name, engagement, *args):
    return reverse(f"meetings:{name}", args=[engagement.pk, *args])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def pages(engagement, meeting, make_minutes, make_approval):
    minutes = make_minutes(status=MinutesStatus.REQUESTED)
    approval = make_approval()
    return [
        url("index", engagement),
        url("meeting_detail", engagement, meeting.pk),
        url("action_items", engagement),
        url("approval_list", engagement),
        url("approval_detail", engagement, approval.pk),
        url("suggestions", engagement),
        url("minutes_pdf", engagement, minutes.pk),
    ]


@pytest.mark.parametrize("role", [Role.CITY_STAFF, Role.CONTRACTOR, Role.ADMINISTRATOR])
def test_every_member_sees_every_page(client, member_by_role, pages, role):
    client.force_login(member_by_role[role])
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_another_engagements_member_gets_404_everywhere(client, outsider, pages):
    client.force_login(outsider)
    for page in pages:
        assert client.get(page).status_code == 404, page


# Role × action: which member may open each writing page (GET) or send each form (POST).
@pytest.mark.parametrize("role", [Role.CITY_STAFF, Role.CONTRACTOR, Role.ADMINISTRATOR])
def test_permission_matrix_of_the_writing_pages(client, member_by_role, engagement, meeting,
                                                 make_minutes, make_approval, role,
                                                 nothing_written):
    client.force_login(member_by_role[role])
    draft = make_minutes()
    requested = make_minutes(status=MinutesStatus.REQUESTED, version=2)
    approval = make_approval(kind=ApprovalKind.CONSULTATION)
    item = ActionItem.objects.create(minutes=draft, description="配席図を送付", owner_name="市")
    suggestion = services.suggestion_create(
        engagement=engagement, actor=meeting.created_by, title="試行", body="モニターの試行"
    )
    contractor_only = {
        ("get", url("meeting_create", engagement)),
        ("get", url("meeting_update", engagement, meeting.pk)),
        ("get", url("minutes_edit", engagement, draft.pk)),
        ("get", url("approval_create", engagement)),
        ("post", url("approval_withdraw", engagement, approval.pk)),
        ("post", url("minutes_transition", engagement, draft.pk, "requested")),
        ("post", url("minutes_revise", engagement, draft.pk)),
        ("post", url("meeting_attachment_upload", engagement, meeting.pk)),
        ("post", url("action_item_status", engagement, item.pk)),
        ("post", url("suggestions", engagement)),
    }
    city_only = {
        ("post", url("minutes_transition", engagement, requested.pk, "confirmed")),
        ("post", url("minutes_transition", engagement, requested.pk, "returned")),
        ("post", url("approval_detail", engagement, approval.pk)),
        ("post", url("suggestion_respond", engagement, suggestion.pk)),
    }
    # Either party attaches papers to a request: the contractor's, or the city's answer.
    both = {("post", url("approval_attachment_upload", engagement, approval.pk))}
    for method, page in sorted(contractor_only | city_only | both):
        allowed = (
            (role == Role.CONTRACTOR and (method, page) in contractor_only | both)
            or (role == Role.CITY_STAFF and (method, page) in city_only | both)
        )
        if allowed:
            status = getattr(client, method)(page).status_code
        else:
            with nothing_written():
                status = getattr(client, method)(page).status_code
        assert (status != 403) == allowed, (role, method, page, status)


def test_contractor_records_a_meeting_with_guests(client, contractor, city_user, engagement):
    client.force_login(contractor)
    response = client.post(url("meeting_create", engagement), {
        "title": "第1回打合せ", "starts_at": "2026-07-10T10:00", "ends_at": "2026-07-10T11:00",
        "venue": "office", "place": "会議室", "agenda": "計画", "members": [city_user.pk],
        "guests-TOTAL_FORMS": "2", "guests-INITIAL_FORMS": "0",
        "guests-0-name": "鈴木 一郎", "guests-0-organisation": "西京区役所",
    }, follow=True)
    meeting = Meeting.objects.get()
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "打合せを登録しました。" in messages_of(response)
    assert sorted(str(a) for a in meeting.attendees.all()) == ["city", "鈴木 一郎"]


def test_web_meeting_without_tool_shows_the_error_by_the_field(client, contractor, engagement):
    client.force_login(contractor)
    response = client.post(url("meeting_create", engagement), {
        "title": "Web", "starts_at": "2026-07-10T10:00", "venue": "web",
        "guests-TOTAL_FORMS": "0", "guests-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert "Web会議で使用するシステムを入力してください。" in response.content.decode()
    assert not Meeting.objects.exists()


def test_contractor_writes_minutes_and_asks_for_confirmation(client, contractor, minutes,
                                                              engagement):
    client.force_login(contractor)
    data = {
        "discussion": "計画を説明した。", "next_meeting": "7月24日",
        "decisions-TOTAL_FORMS": "2", "decisions-INITIAL_FORMS": "0",
        "decisions-0-text": "調査は7月中に行う。",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
        "items-0-description": "日程表を送付", "items-0-owner": contractor.pk,
        "items-0-due_date": "2026-07-17", "items-0-status": "open",
        "request_confirmation": "1",
    }
    response = client.post(url("minutes_edit", engagement, minutes.pk), data, follow=True)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.REQUESTED
    assert "議事録の確認を本市に依頼しました。" in messages_of(response)
    assert [d.text for d in minutes.decisions.all()] == ["調査は7月中に行う。"]
    assert minutes.action_items.get().owner == contractor


def test_action_item_without_owner_shows_the_error_and_saves_nothing(client, contractor,
                                                                      minutes, engagement):
    client.force_login(contractor)
    response = client.post(url("minutes_edit", engagement, minutes.pk), {
        "discussion": "変更後", "next_meeting": "",
        "decisions-TOTAL_FORMS": "0", "decisions-INITIAL_FORMS": "0",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
        "items-0-description": "誰か", "items-0-status": "open",
    })
    assert "宿題事項の担当者を指定してください。" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.discussion == "業務計画を説明し、了承を得た。"


def test_confirmed_minutes_cannot_be_edited(client, contractor, make_minutes, engagement):
    confirmed = make_minutes(status=MinutesStatus.CONFIRMED)
    client.force_login(contractor)
    assert client.get(url("minutes_edit", engagement, confirmed.pk)).status_code == 403


def test_city_confirms_and_the_page_says_so(client, city_user, make_minutes, engagement,
                                             meeting):
    minutes = make_minutes(status=MinutesStatus.REQUESTED)
    client.force_login(city_user)
    response = client.post(url("minutes_transition", engagement, minutes.pk, "confirmed"),
                           follow=True)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CONFIRMED
    assert "議事録を確定しました。" in messages_of(response)
    assert "確定" in response.content.decode()


def test_returning_without_a_comment_is_refused(client, city_user, make_minutes, engagement):
    minutes = make_minutes(status=MinutesStatus.REQUESTED)
    client.force_login(city_user)
    response = client.post(url("minutes_transition", engagement, minutes.pk, "returned"),
                           {"comment": ""}, follow=True)
    assert "修正してほしい点を入力してください。" in messages_of(response)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.REQUESTED


def test_revise_leads_to_the_new_draft(client, contractor, make_minutes, engagement, meeting):
    confirmed = make_minutes(status=MinutesStatus.CONFIRMED)
    client.force_login(contractor)
    response = client.post(url("minutes_revise", engagement, confirmed.pk),
                           {"reason": "出席者の漏れ"}, follow=True)
    new = meeting.minutes_versions.get(version=2)
    assert response.redirect_chain[-1][0] == url("minutes_edit", engagement, new.pk)
    page = client.get(url("meeting_detail", engagement, meeting.pk)).content.decode()
    assert "第2版" in page and "第1版" in page


def test_wholesale_subcontract_is_refused_next_to_the_field(client, contractor, engagement):
    client.force_login(contractor)
    response = client.post(url("approval_create", engagement), {
        "kind": "subcontract", "title": "全部お願いしたい", "subcontractor": "株式会社丸投げ",
        "work_items": WorkItem.values, "reason": "人手不足",
    })
    assert response.status_code == 200
    assert "一括再委託" in response.content.decode()
    assert not ApprovalRequest.objects.exists()


def test_city_approves_a_subcontract_with_its_document(client, city_user, make_approval,
                                                        engagement):
    approval = make_approval()
    client.force_login(city_user)
    missing = client.post(url("approval_detail", engagement, approval.pk),
                          {"status": "approved"})
    assert "本市の文書番号と日付を入力してください" in missing.content.decode()
    response = client.post(url("approval_detail", engagement, approval.pk), {
        "status": "approved", "document_number": "京地自第123号",
        "document_date": "2026-07-20", "comment": "一部に限り承認",
    }, follow=True)
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED
    assert "決定を登録しました。" in messages_of(response)
    assert "京地自第123号" in response.content.decode()


def test_suggestion_log_and_response(client, contractor, city_user, engagement):
    client.force_login(contractor)
    client.post(url("suggestions", engagement),
                {"kind": "proposal", "title": "モニター試行", "body": "2週間"})
    suggestion = engagement.meeting_suggestions.get()
    client.force_login(city_user)
    response = client.post(url("suggestion_respond", engagement, suggestion.pk),
                           {"response": "試行を認める"}, follow=True)
    assert "試行を認める" in response.content.decode()


@pytest.mark.django_db(transaction=True)  # files are written when the upload commits
def test_attachments_are_served_to_members_only(client, contractor, outsider, meeting,
                                                engagement):
    client.force_login(contractor)
    upload = SimpleUploadedFile("資料.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client.post(url("meeting_attachment_upload", engagement, meeting.pk),
                {"file": upload, "description": "説明資料"})
    attachment = meeting.attachments.get()
    response = client.get(url("attachment_download", engagement, attachment.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"
    client.force_login(outsider)
    assert client.get(url("attachment_download", engagement, attachment.pk)).status_code == 404


def test_action_item_list_marks_overdue_and_filters(client, contractor, make_minutes,
                                                    engagement):
    minutes = make_minutes(status=MinutesStatus.CONFIRMED)
    ActionItem.objects.create(minutes=minutes, description="期限切れの宿題", owner=contractor,
                              due_date=timezone.localdate() - dt.timedelta(days=1))
    ActionItem.objects.create(minutes=minutes, description="まだ先の宿題", owner=contractor,
                              due_date=timezone.localdate() + dt.timedelta(days=10))
    client.force_login(contractor)
    page = client.get(url("action_items", engagement)).content.decode()
    assert page.count("期限超過</span>") == 1
    overdue_only = client.get(url("action_items", engagement) + "?overdue=yes").content.decode()
    assert "期限切れの宿題" in overdue_only and "まだ先の宿題" not in overdue_only


def test_action_items_of_an_older_version_are_not_repeated(client, contractor, make_minutes,
                                                           engagement):
    confirmed = make_minutes(status=MinutesStatus.CONFIRMED)
    ActionItem.objects.create(minutes=confirmed, description="一度だけ", owner=contractor)
    services.minutes_revise(minutes=confirmed, actor=contractor, reason="誤記")
    client.force_login(contractor)
    assert client.get(url("action_items", engagement)).content.decode().count("一度だけ") == 1


def test_contractor_updates_an_action_item_status(client, contractor, make_minutes,
                                                  engagement):
    item = ActionItem.objects.create(minutes=make_minutes(status=MinutesStatus.CONFIRMED),
                                     description="x", owner=contractor)
    client.force_login(contractor)
    client.post(url("action_item_status", engagement, item.pk), {"status": "done"})
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE


def test_index_and_action_items_keep_their_query_count(
    client, contractor, engagement, make_meeting, django_assert_max_num_queries
):
    for number in range(30):
        meeting = make_meeting(f"打合せ{number}")
        minutes = services.minutes_create(meeting=meeting, actor=contractor)
        Decision.objects.create(minutes=minutes, text="決定")
        ActionItem.objects.create(minutes=minutes, description="宿題", owner=contractor)
        meeting.attendees.create(user=contractor, side="contractor")
    client.force_login(contractor)
    with django_assert_max_num_queries(15):
        assert client.get(url("index", engagement)).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(url("action_items", engagement)).status_code == 200


def test_meeting_page_keeps_its_query_count(client, contractor, meeting, make_minutes,
                                            engagement, django_assert_max_num_queries):
    from django.contrib.contenttypes.models import ContentType

    from proposals.models import Proposal
    from proposals.services import proposal_create

    # every decision linked to its own proposal: the links are prefetched, not one per row
    proposal_type = ContentType.objects.get_for_model(Proposal)
    for version in range(1, 6):
        minutes = make_minutes(status=MinutesStatus.CONFIRMED, version=version)
        for n in range(5):
            proposal = proposal_create(engagement=engagement, title=f"提案{version}-{n}",
                                       actor=contractor)
            Decision.objects.create(minutes=minutes, text=f"決定{n}", linked_type=proposal_type,
                                    linked_id=proposal.pk)
            ActionItem.objects.create(minutes=minutes, description=f"宿題{n}", owner=contractor)
    client.force_login(contractor)
    with django_assert_max_num_queries(25):
        assert client.get(url("meeting_detail", engagement, meeting.pk)).status_code == 200


def _minutes_post(decision_text: str, concerns: str) -> dict:
    return {
        "discussion": "提案について協議した。", "next_meeting": "",
        "decisions-TOTAL_FORMS": "1", "decisions-INITIAL_FORMS": "0",
        "decisions-0-text": decision_text, "decisions-0-concerns": concerns,
        "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0",
    }


def test_a_decision_is_linked_to_the_proposal_it_concerns(client, contractor, minutes,
                                                          engagement):
    from django.contrib.contenttypes.models import ContentType

    from proposals.models import Proposal
    from proposals.services import proposal_create

    # given a proposal of this engagement
    proposal = proposal_create(engagement=engagement, title="レイアウト提案", actor=contractor)
    value = f"{ContentType.objects.get_for_model(Proposal).pk}:{proposal.pk}"
    client.force_login(contractor)
    # the edit page offers it
    page = client.get(url("minutes_edit", engagement, minutes.pk)).content.decode()
    assert "レイアウト提案" in page
    # when the contractor links a decision to it
    client.post(url("minutes_edit", engagement, minutes.pk),
                _minutes_post("案Aで進める。", value))
    # then the decision points at the proposal, and the meeting page says so
    decision = minutes.decisions.get()
    assert decision.linked == proposal
    page = client.get(url("meeting_detail", engagement, minutes.meeting.pk)).content.decode()
    assert "関連：提案「レイアウト提案」" in page
    assert f'href="/engagements/{engagement.pk}/proposals/{proposal.pk}/"' in page


def test_a_decision_cannot_be_linked_to_another_engagements_proposal(
    client, contractor, minutes, engagement, other_engagement, make_member
):
    from django.contrib.contenttypes.models import ContentType

    from engagements.choices import Role
    from proposals.models import Proposal
    from proposals.services import proposal_create

    other_contractor = make_member(other_engagement, Role.CONTRACTOR, "other-contractor")
    foreign = proposal_create(engagement=other_engagement, title="他案件の提案",
                              actor=other_contractor)
    value = f"{ContentType.objects.get_for_model(Proposal).pk}:{foreign.pk}"
    client.force_login(contractor)
    response = client.post(url("minutes_edit", engagement, minutes.pk),
                           _minutes_post("他案件の提案に決定", value))
    assert response.status_code == 200
    assert "正しく選択してください。" in response.content.decode()
    assert not minutes.decisions.exists()


def test_save_and_ask_counts_the_text_typed_into_an_empty_draft(client, contractor, meeting,
                                                                engagement):
    # given a draft whose saved discussion is empty and which has no decision
    minutes = services.minutes_create(meeting=meeting, actor=contractor)
    client.force_login(contractor)
    # when the contractor types only a discussion and presses 「保存して確認を依頼」
    response = client.post(url("minutes_edit", engagement, minutes.pk), {
        "discussion": "計画を説明した。", "next_meeting": "",
        "decisions-TOTAL_FORMS": "0", "decisions-INITIAL_FORMS": "0",
        "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0",
        "request_confirmation": "1",
    }, follow=True)
    # then the text is saved and the minutes are with the city, in one go
    minutes.refresh_from_db()
    assert (minutes.discussion, minutes.status) == ("計画を説明した。", MinutesStatus.REQUESTED)
    assert "議事録の確認を本市に依頼しました。" in messages_of(response)
    assert [(c.old_status, c.new_status) for c in minutes.status_changes.all()] == [
        ("", "draft"), ("draft", "requested")]


def test_save_and_ask_without_any_text_saves_nothing(client, contractor, meeting, engagement):
    minutes = services.minutes_create(meeting=meeting, actor=contractor)
    client.force_login(contractor)
    response = client.post(url("minutes_edit", engagement, minutes.pk), {
        "discussion": "", "next_meeting": "次回は8月",
        "decisions-TOTAL_FORMS": "0", "decisions-INITIAL_FORMS": "0",
        "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0",
        "request_confirmation": "1",
    })
    assert response.status_code == 200
    assert "確認を依頼する前に" in response.content.decode()
    minutes.refresh_from_db()
    # all or nothing: the next-meeting text was not saved either
    assert (minutes.next_meeting, minutes.status) == ("", MinutesStatus.DRAFT)
    assert minutes.status_changes.count() == 1


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x",
                                      "http://testserver.evil.example/"])
def test_action_item_status_does_not_redirect_to_another_site(client, contractor, make_minutes,
                                                              engagement, next_url):
    item = ActionItem.objects.create(minutes=make_minutes(), description="x", owner=contractor)
    client.force_login(contractor)
    response = client.post(url("action_item_status", engagement, item.pk),
                           {"status": "done", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == url("action_items", engagement)


def test_action_item_status_returns_to_a_page_of_this_site(client, contractor, make_minutes,
                                                           engagement, meeting):
    item = ActionItem.objects.create(minutes=make_minutes(), description="x", owner=contractor)
    client.force_login(contractor)
    back = url("meeting_detail", engagement, meeting.pk)
    response = client.post(url("action_item_status", engagement, item.pk),
                           {"status": "done", "next": back})
    assert response["Location"] == back


def test_meeting_page_lists_the_transitions_of_the_users_role(client, city_user, contractor,
                                                              make_minutes, engagement,
                                                              meeting):
    minutes = make_minutes(status=MinutesStatus.REQUESTED)
    client.force_login(city_user)
    page = client.get(url("meeting_detail", engagement, meeting.pk)).content.decode()
    assert url("minutes_transition", engagement, minutes.pk, "confirmed") in page
    assert url("minutes_transition", engagement, minutes.pk, "returned") in page
    client.force_login(contractor)
    page = client.get(url("meeting_detail", engagement, meeting.pk)).content.decode()
    assert url("minutes_transition", engagement, minutes.pk, "confirmed") not in page
    assert url("minutes_transition", engagement, minutes.pk, "requested") not in page


def test_breadcrumbs_come_from_the_view(client, contractor, engagement, meeting, minutes):
    client.force_login(contractor)
    page = client.get(url("minutes_edit", engagement, minutes.pk)).content.decode()
    trail = page[page.index('<ol class="breadcrumb">'):page.index("</ol>")]
    # the engagement, the stage, the meeting, then this page (not a link)
    assert trail.index(reverse("engagements:dashboard", args=[engagement.pk])) < trail.index(
        url("index", engagement)) < trail.index(meeting.get_absolute_url())
    assert trail.count('aria-current="page"') == 1
    assert 'aria-current="page">議事録を編集</li>' in trail


def test_minutes_pdf_has_a_japanese_name_and_the_old_ascii_name_as_fallback(
        client, contractor, engagement, minutes):
    # given the minutes of キックオフ打合せ on 2026-07-10
    client.force_login(contractor)
    # when they are downloaded
    response = client.get(url("minutes_pdf", engagement, minutes.pk))
    # then
    assert response["Content-Type"] == "application/pdf"
    assert download_names(response) == (
        f"minutes-20260710-meeting-{minutes.meeting_id}-v{minutes.version}.pdf",
        f"議事録_キックオフ打合せ_20260710_第{minutes.version}版.pdf",
    )


@pytest.mark.django_db(transaction=True)  # files are written when the upload commits
def test_an_attachment_keeps_its_original_name_with_an_ascii_fallback(
        client, contractor, meeting, engagement):
    client.force_login(contractor)
    upload = SimpleUploadedFile("資料.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client.post(url("meeting_attachment_upload", engagement, meeting.pk),
                {"file": upload, "description": "説明資料"})
    attachment = meeting.attachments.get()
    response = client.get(url("attachment_download", engagement, attachment.pk))
    assert download_names(response) == (f"attachment-{attachment.pk}.pdf", "資料.pdf")
    assert response["Content-Security-Policy"] == "sandbox"
