"""The demo data (seed_demo): loaded ONCE for this module by ``seeded_demo`` (tests/conftest.py:
seeded once a session, put back from copies), then read by every test here, each inside its
own rolled-back transaction.

A test elsewhere that needs the demo uses ``seeded_demo`` (or ``demo_data`` with a live
server) rather than calling ``seed_demo`` again (3–5 s a run).
"""

import datetime as dt
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from engagements.choices import OrganisationKind, Role
from engagements.models import Engagement, Organisation
from meetings import services as meetings_services
from meetings.choices import ApprovalStatus, MinutesStatus
from meetings.models import ActionItem, ApprovalRequest, Decision, Minutes, Suggestion
from meetings.selectors import action_item_list
from proposals.choices import AlternativeStatus
from proposals.models import Alternative, LayoutItem, StatusChange, WorkListItem
from tests.conftest import DEMO_GROUP, row_counts

# One worker runs them all (pyproject: --dist loadgroup), so the demo is seeded once.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo"),
              pytest.mark.xdist_group(DEMO_GROUP)]


@pytest.fixture
def demo_engagement():
    return Engagement.objects.get(title__startswith="働き方改革につながる職場環境")


# --- The command ------------------------------------------------------------------------------
def test_seed_demo_is_idempotent():
    # given the demo loaded (by the fixture)
    first = row_counts()
    # when it runs again
    call_command("seed_demo", verbosity=0)
    # then no table changed, history tables included
    assert row_counts() == first


def test_seed_demo_loads_the_seed_engagement_and_its_people(demo_engagement):
    assert demo_engagement.client.full_name == "京都市 文化市民局 地域自治推進室"
    assert demo_engagement.section.name == "区政・スマート区役所推進担当"
    assert demo_engagement.desk_count == 19
    roles = dict(demo_engagement.memberships.values_list("user__username", "role"))
    assert roles == {
        "city": Role.CITY_STAFF,
        "contractor": Role.CONTRACTOR,
        "admin": Role.ADMINISTRATOR,
    }
    city = get_user_model().objects.get(username="city")
    assert city.check_password("city-demo-pass")


def test_seed_demo_has_the_bessi2_sections_and_the_14_offices():
    office = Organisation.objects.get(name="地域自治推進室")
    section_names = set(
        Organisation.objects.filter(kind=OrganisationKind.SECTION).values_list("name", flat=True)
    )
    assert {
        "区政・スマート区役所推進担当",
        "市民窓口企画担当",
        "マイナンバー担当",
        "市民活動支援担当",
        "地域づくり推進担当",
        "サポートセンター",
    } <= section_names
    assert office.head_title == "室長"
    offices = Organisation.objects.filter(
        kind__in=[OrganisationKind.WARD_OFFICE, OrganisationKind.BRANCH]
    )
    assert offices.count() == 14
    assert offices.filter(kind=OrganisationKind.BRANCH).count() == 3
    assert offices.filter(name="伏見区役所醍醐支所", parent__name="伏見区役所").exists()


# --- Meetings ---------------------------------------------------------------------------------
def test_demo_tells_the_meetings_story():
    statuses = sorted(Minutes.objects.values_list("status", flat=True))
    assert statuses == [MinutesStatus.CONFIRMED, MinutesStatus.REQUESTED]
    approved = ApprovalRequest.objects.get(status=ApprovalStatus.APPROVED, kind="subcontract")
    assert approved.document_number == "京地自第123号"
    # the paid web-meeting app the report relies on is decided
    assert ApprovalRequest.objects.get(kind="web_app").status == ApprovalStatus.APPROVED
    assert Suggestion.objects.count() == 1
    # one decision of the demo is linked to the proposal it concerns
    linked = Decision.objects.get(linked_id__isnull=False)
    assert str(linked.linked) == "執務環境の改善提案"
    # seen on a day during the contract, exactly one open action item is overdue
    during = approved.engagement.contract_start + dt.timedelta(days=60)
    overdue = [i for i in action_item_list(approved.engagement, today=during) if i.overdue]
    assert [i.description for i in overdue] == ["職員アンケートの設問案を作成し送付する"]
    assert ActionItem.objects.exists()


def test_minutes_request_confirm_cycle_on_the_demo():
    pending = Minutes.objects.get(status=MinutesStatus.REQUESTED)
    city = pending.meeting.engagement.memberships.get(role="city_staff").user
    meetings_services.minutes_confirm(minutes=pending, actor=city)
    pending.refresh_from_db()
    assert pending.status == MinutesStatus.CONFIRMED


# --- Proposals --------------------------------------------------------------------------------
def test_demo_alternatives_went_through_the_workflow():
    statuses = dict(Alternative.objects.values_list("label", "status"))
    assert statuses == {"案A": AlternativeStatus.APPROVED, "案B": AlternativeStatus.RETURNED}
    # 案A: submitted, approved; 案B: submitted, returned — one row per transition
    assert StatusChange.objects.count() == 4
    assert WorkListItem.objects.exists()
    assert LayoutItem.objects.exists()


# --- Reports ----------------------------------------------------------------------------------
def test_electronic_data_zip_holds_the_report_the_survey_and_confirmed_minutes(
    client, demo_engagement
):
    # given the demo engagement, whose version 1 was submitted and accepted
    from reports.models import ReportVersion

    version = ReportVersion.objects.get(engagement=demo_engagement, number=1)
    client.login(username="city", password="city-demo-pass")
    # when the city downloads that version's electronic data
    response = client.get(reverse("reports:version_download",
                                  args=[demo_engagement.pk, 1, "zip"]))
    # then it is a ZIP with exactly the stored report, the survey workbook and the confirmed
    # minutes, listed in its index (目録)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    [pdf] = [n for n in names if n.endswith(".pdf") and n.count("/") == 1]
    with version.pdf.open("rb") as stored:
        assert archive.read(pdf) == stored.read()
    [survey] = [n for n in names if n.endswith(".xlsx") and "調査" in n]
    assert load_workbook(io.BytesIO(archive.read(survey))).sheetnames
    minutes = [n for n in names if "議事録" in n and n.endswith(".pdf")]
    assert len(minutes) == 1  # the kickoff; the web meeting's minutes await confirmation
    assert archive.read(minutes[0]).startswith(b"%PDF")
    assert any("目録" in n for n in names)


def test_the_report_schedule_holds_installation_days_orders_and_transfers(demo_engagement):
    from django.utils import translation

    from reports.schedule import schedule_rows

    with translation.override("ja"):
        rows = schedule_rows(demo_engagement)
    labels = [row.label for row in rows]
    assert any(label.startswith("設置作業日：") for label in labels)
    assert any(label.startswith("発注 ") for label in labels)
    transfers = [row for row in rows if row.label.startswith("移設（")]
    assert transfers and all(row.end is None or row.end >= row.start for row in transfers)
    # the demo's Saturday installation day is on the chart
    days = [row.start for row in rows if row.label.startswith("設置作業日：")]
    assert any(day.weekday() == 5 for day in days)
