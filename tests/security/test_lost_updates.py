"""Two sessions open the same form; the second save from a stale form is refused with the
current values and overwrites nothing (issue 11, item 3)."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting, Minutes
from proposals.models import Alternative, LayoutItem, Proposal
from survey.models import Desk, StorageUnit

from .conftest import form_data

pytestmark = pytest.mark.django_db

STALE = "他の人が保存しました"


def two_sessions(user):
    a, b = Client(), Client()
    a.force_login(user)
    b.force_login(user)
    return a, b


def race(user, url, marker, change_a, change_b):
    """A and B open ``url``; A saves ``change_a``; B then saves ``change_b`` from its old page."""
    a, b = two_sessions(user)
    data_a = form_data(a.get(url).content.decode(), marker)
    data_b = form_data(b.get(url).content.decode(), marker)
    data_a.update(change_a)
    response_a = a.post(url, data_a)
    assert response_a.status_code == 302, response_a.content.decode()[:3000]
    data_b.update(change_b)
    response_b = b.post(url, data_b)
    assert response_b.status_code == 200
    body = response_b.content.decode()
    assert STALE in body
    return body


def test_desk(city_user, engagement, desk):
    url = reverse("survey:desk_update", args=[engagement.pk, desk.pk])
    body = race(city_user, url, "version", {"notes": "Aの変更"}, {"year": "2015"})
    desk.refresh_from_db()
    assert desk.notes == "Aの変更"  # A's change kept
    assert desk.year is None  # B's change not written
    assert "Aの変更" in body  # the current value is shown


def test_storage_unit(city_user, engagement, make_unit):
    unit = make_unit("S1")
    url = reverse("survey:storage_update", args=[engagement.pk, unit.pk])
    body = race(city_user, url, "version", {"notes": "棚を追加"}, {"shelf_count": "7"})
    unit.refresh_from_db()
    assert (unit.notes, unit.shelf_count) == ("棚を追加", 5)
    assert "棚を追加" in body


def test_proposal(contractor, engagement, proposal):
    url = reverse("proposals:proposal_update", args=[engagement.pk, proposal.pk])
    body = race(contractor, url, "version", {"title": "改善提案（A）"},
                {"summary": "Bの概要"})
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert (proposal.title, proposal.summary) == ("改善提案（A）", "")
    assert "改善提案（A）" in body


def test_alternative_edit(contractor, engagement, alternative):
    url = reverse("proposals:alternative_update", args=[engagement.pk, alternative.pk])
    body = race(contractor, url, "alt-version", {"alt-rationale": "Aの理由"},
                {"alt-min_aisle_mm": "1200"})
    alternative = Alternative.objects.get(pk=alternative.pk)
    assert alternative.rationale == "Aの理由"
    assert alternative.min_aisle_mm != 1200
    assert "Aの理由" in body


def test_minutes_draft(contractor, engagement, minutes):
    url = reverse("meetings:minutes_edit", args=[engagement.pk, minutes.pk])
    body = race(contractor, url, "version", {"discussion": "Aが書いた議事"},
                {"next_meeting": "8月1日"})
    minutes = Minutes.objects.get(pk=minutes.pk)
    assert (minutes.discussion, minutes.next_meeting) == ("Aが書いた議事", "")
    assert "Aが書いた議事" in body


def test_meeting(contractor, engagement, meeting):
    url = reverse("meetings:meeting_update", args=[engagement.pk, meeting.pk])
    body = race(contractor, url, "version", {"title": "第1回打合せ（A）"},
                {"place": "Bの会議室"})
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.title == "第1回打合せ（A）"
    assert meeting.place != "Bの会議室"
    assert "第1回打合せ（A）" in body


def test_layout_editor_json_save_answers_409(contractor, engagement, alternative, floor):
    url = reverse("proposals:alternative_editor", args=[engagement.pk, alternative.pk])
    url += f"?floor={floor.pk}"
    a, b = two_sessions(contractor)
    version_a = re.search(r'data-version="(\d+)"', a.get(url).content.decode())[1]
    version_b = re.search(r'data-version="(\d+)"', b.get(url).content.decode())[1]
    item = LayoutItem.objects.filter(alternative=alternative, floor=floor).first()

    def body(version, x):
        return json.dumps({"version": int(version), "zones": [], "items": [
            {"id": i.pk, "x": x if i.pk == item.pk else i.x_mm, "y": i.y_mm, "r": i.rotation_deg}
            for i in LayoutItem.objects.filter(alternative=alternative, floor=floor)
        ]})

    payload_b = body(version_b, 5000)  # B's page as it was opened
    assert a.post(url, body(version_a, 4000), content_type="application/json").status_code == 200
    response = b.post(url, payload_b, content_type="application/json")
    assert response.status_code == 409
    assert STALE in response.json()["errors"][0]
    item.refresh_from_db()
    assert item.x_mm == 4000


def test_the_version_goes_up_with_each_save_and_a_fresh_page_saves(city_user, engagement, desk):
    url = reverse("survey:desk_update", args=[engagement.pk, desk.pk])
    client = Client()
    client.force_login(city_user)
    for n in range(3):
        data = form_data(client.get(url).content.decode())
        assert data["version"] == str(n)
        data["notes"] = f"変更{n}"
        assert client.post(url, data).status_code == 302
    assert Desk.objects.get(pk=desk.pk).version == 3
    assert StorageUnit.objects.count() == 0


def test_a_form_opened_before_an_excel_import_does_not_overwrite_it(city_user, engagement,
                                                                     desk):
    import io

    from openpyxl import load_workbook

    from survey import excel

    url = reverse("survey:desk_update", args=[engagement.pk, desk.pk])
    client = Client()
    client.force_login(city_user)
    data = form_data(client.get(url).content.decode(), "version")
    # Meanwhile the survey sheet comes back from the floor with a note on this desk.
    workbook = load_workbook(io.BytesIO(excel.export_workbook(engagement)))
    sheet = next(ws for ws in workbook.worksheets
                 if any(c.value == "備考" for r in ws.iter_rows(max_row=5) for c in r))
    header_row = next(r for r in sheet.iter_rows() if any(c.value == "備考" for c in r))
    notes = next(c for c in header_row if c.value == "備考")
    row = next(r for r in sheet.iter_rows(min_row=header_row[0].row + 1)
               if r[0].value == desk.number)
    sheet.cell(row=row[0].row, column=notes.column, value="取込で変更")
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = excel.survey_import(engagement=engagement, file=buffer, actor=city_user)
    assert result.ok and result.updated["desks"] == 1
    assert Desk.objects.get(pk=desk.pk).version == int(data["version"]) + 1
    data["year"] = "2015"
    response = client.post(url, data)
    assert response.status_code == 200 and STALE in response.content.decode()
    desk.refresh_from_db()
    assert desk.notes == "取込で変更" and desk.year is None
