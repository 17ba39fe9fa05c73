"""Demo data of the meetings stage (idempotent: a second run changes nothing).

A kickoff at 地域自治推進室 with confirmed minutes (decisions, action items, one overdue), a
web meeting whose minutes await the city's confirmation (one decision linked to the proposal),
a 再委託 approved with the city's document number, a paid web-meeting app approved, and one
proposal of the contractor's.
Records move through their workflows (meetings/workflows.py) once, when first created.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from engagements.demo import Demo, upsert
from proposals.models import Proposal

from .choices import (
    ActionItemStatus,
    ApprovalKind,
    ApprovalStatus,
    AttendeeSide,
    MinutesStatus,
    SuggestionKind,
    Venue,
    WorkItem,
)
from .models import (
    ActionItem,
    ApprovalRequest,
    Attendee,
    Decision,
    Meeting,
    Minutes,
    Suggestion,
)
from .workflows import APPROVAL_WORKFLOW, MINUTES_WORKFLOW


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _story(workflow, obj, steps: list[tuple]) -> None:
    """Move a demo record through its workflow once (not again on a second run).

    Each step is (target, actor, comment, day, values): the first records the record's
    creation, each later one goes through ``workflow.apply``; the rows carry the story's
    dates, not the seeding time.
    """
    if workflow.log_model.objects.filter(**{workflow.log_fk: obj}).exists():
        return
    (_target, actor, comment, day, _values), *moves = steps
    workflow.log_start(obj, actor=actor, comment=comment, at=_at(day, 17))
    for target, actor, comment, day, values in moves:
        obj = workflow.apply(obj, target, actor=actor, comment=comment, values=values,
                             at=_at(day, 17))


def _attendees(meeting, demo: Demo, guests=()):
    upsert(Attendee, {"meeting": meeting, "user": demo.city}, {"side": AttendeeSide.CITY})
    upsert(Attendee, {"meeting": meeting, "user": demo.contractor},
           {"side": AttendeeSide.CONTRACTOR})
    for name, organisation in guests:
        upsert(Attendee, {"meeting": meeting, "name": name},
               {"organisation": organisation, "side": AttendeeSide.GUEST})


def seed(demo: Demo) -> None:
    engagement, city, contractor = demo.engagement, demo.city, demo.contractor
    start = engagement.contract_start

    end = engagement.contract_end
    # The paid app is approved (the report relies on it); the second meeting still used the
    # city's own Teams.
    subcontract = upsert(
        ApprovalRequest,
        {"engagement": engagement, "title": "書庫・キャビネットの文書量計測業務の再委託"},
        {
            "kind": ApprovalKind.SUBCONTRACT,
            "details": "調査業務のうち、書庫及びキャビネットの文書量（fm）の計測を再委託する。",
            "subcontractor": "株式会社京都ファイリングサービス",
            "work_items": [WorkItem.SURVEY],
            "reason": "文書量の計測にファイリング専門の技術者を要するため。",
            "requested_by": contractor,
            "requested_on": start + dt.timedelta(days=3),
        },
    )
    _story(APPROVAL_WORKFLOW, subcontract, [
        (ApprovalStatus.REQUESTED, contractor, "", subcontract.requested_on, None),
        (ApprovalStatus.APPROVED, city, "京地自第123号により承認", start + dt.timedelta(days=9),
         {"document_number": "京地自第123号", "document_date": start + dt.timedelta(days=9),
          "decided_by": city, "decision_comment": "調査業務の一部に限り承認する。"}),
    ])
    web_app = upsert(
        ApprovalRequest,
        {"engagement": engagement, "title": "有料Web会議アプリ（Zoom有料プラン）の利用"},
        {
            "kind": ApprovalKind.WEB_APP,
            "details": "区役所職員を交えた打合せで画面共有と録画を行うため。",
            "app_name": "Zoom ビジネスプラン",
            "cost_yen": 26_400,
            "requested_by": contractor,
            "requested_on": start + dt.timedelta(days=20),
        },
    )
    _story(APPROVAL_WORKFLOW, web_app, [
        (ApprovalStatus.REQUESTED, contractor, "", web_app.requested_on, None),
        (ApprovalStatus.APPROVED, city, "京地自第156号により承認", start + dt.timedelta(days=22),
         {"document_number": "京地自第156号", "document_date": start + dt.timedelta(days=22),
          "decided_by": city,
          "decision_comment": "本業務の打合せに限り、事前承認のとおり利用を認める。"}),
    ])

    kickoff = upsert(
        Meeting,
        {"engagement": engagement, "title": "第1回打合せ（キックオフ）"},
        {
            "starts_at": _at(start + dt.timedelta(days=9), 10),
            "ends_at": _at(start + dt.timedelta(days=9), 11, 30),
            "venue": Venue.OFFICE,
            "place": "地域自治推進室 会議室",
            "agenda": "1. 業務実施計画の説明\n2. 調査日程\n3. 連絡体制",
            "created_by": contractor,
        },
    )
    _attendees(kickoff, demo)
    first = upsert(
        Minutes,
        {"meeting": kickoff, "version": 1},
        {
            "discussion": (
                "受託者から業務実施計画を説明した。在席率調査は平日5日間、毎時の巡回で行う。"
                "書庫の文書量計測は再委託（京地自第123号で承認済み）により実施する。"
            ),
            "next_meeting": "7月24日（金）14時 Web会議",
            "written_by": contractor,
        },
    )
    _story(MINUTES_WORKFLOW, first, [
        (MinutesStatus.DRAFT, contractor, "", start + dt.timedelta(days=10), None),
        (MinutesStatus.REQUESTED, contractor, "", start + dt.timedelta(days=11), None),
        (MinutesStatus.CONFIRMED, city, "", start + dt.timedelta(days=13),
         {"confirmed_by": city, "confirmed_at": _at(start + dt.timedelta(days=13), 9)}),
    ])
    for order, text in enumerate([
        "業務実施計画を了承する。",
        "在席率調査は7月13日から5日間（平日）、8時30分から17時30分まで毎時行う。",
        "連絡窓口は市側 山田、受託者側 佐藤とする。",
    ], start=1):
        upsert(Decision, {"minutes": first, "order": order}, {"text": text})
    items = [
        ("配席図（別紙2）の最新版を受託者へ提供する", city, start + dt.timedelta(days=12),
         ActionItemStatus.DONE),
        ("職員アンケートの設問案を作成し送付する", contractor, start + dt.timedelta(days=16),
         ActionItemStatus.OPEN),
        # Due near the end of the contract: open, but not overdue during the demo.
        ("報告書の構成案に意見を返す", city, end - dt.timedelta(days=45),
         ActionItemStatus.OPEN),
    ]
    for order, (text, owner, due, status) in enumerate(items, start=1):
        upsert(ActionItem, {"minutes": first, "order": order},
               {"description": text, "owner": owner, "due_date": due, "status": status})

    web = upsert(
        Meeting,
        {"engagement": engagement, "title": "第2回打合せ（調査結果の中間報告）"},
        {
            "starts_at": _at(start + dt.timedelta(days=23), 14),
            "ends_at": _at(start + dt.timedelta(days=23), 15),
            "venue": Venue.WEB,
            "web_tool": "Microsoft Teams",
            "place": "本市のWeb会議環境（無償）",
            "agenda": "1. 在席率調査の中間報告\n2. 職員アンケートの設問",
            "created_by": contractor,
        },
    )
    _attendees(web, demo, guests=[("鈴木 一郎", "西京区役所 地域力推進室")])
    second = upsert(
        Minutes,
        {"meeting": web, "version": 1},
        {
            "discussion": "在席率調査（7月13日から17日）の結果（平均48%、ピーク74%）を報告した。",
            "next_meeting": "8月上旬 地域自治推進室",
            "written_by": contractor,
        },
    )
    upsert(Decision, {"minutes": second, "order": 1},
           {"text": "アンケートは無記名、所要5分程度とする。"})
    _story(MINUTES_WORKFLOW, second, [
        (MinutesStatus.DRAFT, contractor, "", start + dt.timedelta(days=24), None),
        (MinutesStatus.REQUESTED, contractor, "", start + dt.timedelta(days=25), None),
    ])
    # A decision linked to what it concerns: the proposal of the proposals stage's demo.
    proposal = Proposal.objects.filter(engagement=engagement, title="執務環境の改善提案").first()
    if proposal is not None:
        upsert(Decision, {"minutes": second, "order": 2}, {
            "text": "執務環境の改善提案は、在席率の中間集計を踏まえ"
                    "フリーアドレスの案Aを軸に作成する。",
            "linked_type": ContentType.objects.get_for_model(Proposal),
            "linked_id": proposal.pk,
        })
    upsert(ActionItem, {"minutes": second, "order": 1},
           {"description": "アンケート結果の報告書案を送付する", "owner": contractor,
            "due_date": end - dt.timedelta(days=60), "status": ActionItemStatus.OPEN})

    upsert(
        Suggestion,
        {"engagement": engagement, "title": "ペーパーレス会議用モニターの試行"},
        {
            "kind": SuggestionKind.PROPOSAL,
            "body": (
                "打合せスペースに大型モニターを1台仮設し、紙資料を使わない会議を"
                "2週間試行する。"
            ),
            "submitted_by": contractor,
            "submitted_on": start + dt.timedelta(days=24),
        },
    )
