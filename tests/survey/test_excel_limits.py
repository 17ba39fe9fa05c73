"""Excel: limits before opening (size, zip bomb, sheets, rows), formula-safe export, the one
storage-volume rule, constant queries on re-import, the kept dry-run file, download names."""

import io
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from survey import excel
from survey.models import Desk, StorageVolume
from survey.services import storage_unit_update

from .test_excel import desk_row, workbook_bytes

pytestmark = pytest.mark.django_db


def limits(settings, **values):
    settings.OFFICE_REFORM = {**settings.OFFICE_REFORM, **values}


# --- Limits ------------------------------------------------------------------------------------


def test_a_file_larger_than_the_limit_is_refused_before_it_is_opened(
    engagement, floor, city_user, settings
):
    limits(settings, IMPORT_MAX_BYTES=1000)
    content = workbook_bytes({excel.DESK_SHEET: [desk_row("1")]})
    with pytest.raises(excel.ImportRefused) as refused:
        excel.survey_import(engagement=engagement, file=content, actor=city_user)
    assert "ファイルが大きすぎます" in str(refused.value)
    assert not Desk.objects.exists()


def test_a_zip_bomb_is_refused_from_its_declared_size_without_unpacking_it(
    engagement, floor, city_user
):
    # given a 0.3 MB .xlsx whose sheet unpacks to 300 MB (zeros compress about 1000:1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = b"0" * 2**20
            for _ in range(300):
                entry.write(chunk)
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert len(buffer.getvalue()) < 2**20
    buffer.seek(0)
    # when it is imported, then it is refused with a Japanese message, using little memory
    tracemalloc.start()
    try:
        with pytest.raises(excel.ImportRefused) as refused:
            excel.survey_import(engagement=engagement, file=buffer, actor=city_user)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "展開すると" in str(refused.value) and "300.0" in str(refused.value)
    assert peak < 200 * 2**20


def test_too_many_sheets_are_refused(engagement, floor, city_user, settings):
    limits(settings, IMPORT_MAX_SHEETS=5)
    workbook = Workbook()
    for n in range(6):
        workbook.create_sheet(f"S{n}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(excel.ImportRefused) as refused:
        excel.survey_import(engagement=engagement, file=buffer, actor=city_user)
    assert "シート" in str(refused.value) and "5" in str(refused.value)


def test_too_many_rows_are_refused_with_the_sheet_named(engagement, floor, city_user, settings):
    limits(settings, IMPORT_MAX_ROWS=10)
    content = workbook_bytes({excel.DESK_SHEET: [desk_row(f"{n}") for n in range(12)]})
    with pytest.raises(excel.ImportRefused) as refused:
        excel.survey_import(engagement=engagement, file=content, actor=city_user)
    assert "机" in str(refused.value) and "10" in str(refused.value)
    assert not Desk.objects.exists()


# --- Formula-safe export -----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_exported_user_text_never_becomes_a_formula(engagement, make_desk, prefix):
    # given a desk whose number and note start with a formula prefix
    text = f'{prefix}HYPERLINK("http://evil.example/","open me")'
    make_desk(f"{prefix}2+5", notes=text)
    # when the survey is exported
    workbook = load_workbook(io.BytesIO(excel.export_workbook(engagement)))
    sheet = workbook["机"]
    headers = [c.value for c in sheet[1]]
    number = sheet.cell(row=2, column=headers.index("机番号") + 1)
    note = sheet.cell(row=2, column=headers.index("備考") + 1)
    # then both are text cells holding what was typed (XML reads a carriage return as a
    # line feed), never formulas
    assert (number.data_type, number.value) == ("s", f"{prefix}2+5".replace("\r", "\n"))
    assert (note.data_type, note.value) == ("s", text.replace("\r", "\n"))


def test_a_formula_cell_in_an_imported_workbook_is_not_evaluated(engagement, floor, city_user):
    # given a workbook whose desk note is a live formula (no cached value)
    workbook = Workbook()
    sheet = workbook.active
    headers = excel.DESK_SHEET.columns
    from django.utils import translation

    with translation.override("ja"):
        sheet.title = str(excel.DESK_SHEET.title)
        sheet.append([str(c.header) for c in headers])
    row = ["01", "3階", None, None, None, 1200, 700] + [None] * (len(headers) - 8)
    row.append('=HYPERLINK("http://evil.example/","x")')
    sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    # when imported, the formula is not stored (read as its cached value: blank)
    result = excel.survey_import(engagement=engagement, file=buffer, actor=city_user)
    assert result.ok
    assert Desk.objects.get(number="01").notes == ""


# --- One storage rule ---------------------------------------------------------------------------


def test_the_import_refuses_documents_over_twice_the_capacity_like_the_form(
    engagement, floor, make_unit, city_user
):
    # given a 900 mm × 1-shelf unit (0.90 fm: at most 1.80 fm of documents)
    unit = make_unit("S1", shelf_count=1)
    too_much = {("5", "archive"): Decimal("1.00"), ("1", "discard"): Decimal("0.90")}
    # the form's service refuses 1.90 fm
    with pytest.raises(ValidationError) as by_form:
        storage_unit_update(unit=unit, actor=city_user, volumes=too_much)
    # and so does the import, with the same message on the volume row
    content = workbook_bytes({excel.VOLUME_SHEET: [
        {"unit": "S1", "retention": "5", "disposition": "archive", "volume_fm": 1.0},
        {"unit": "S1", "retention": "1", "disposition": "discard", "volume_fm": 0.9},
    ]})
    result = excel.survey_import(engagement=engagement, file=content, actor=city_user)
    assert [(i.row, i.message) for i in result.errors] == [(2, by_form.value.messages[0])]
    assert not StorageVolume.objects.exists()


def test_zero_volumes_pass_both_ways_and_twice_the_capacity_is_allowed(
    engagement, floor, make_unit, city_user
):
    unit = make_unit("S1", shelf_count=1)
    storage_unit_update(unit=unit, actor=city_user, volumes={("5", "archive"): Decimal("0")})
    content = workbook_bytes({excel.VOLUME_SHEET: [
        {"unit": "S1", "retention": "5", "disposition": "archive", "volume_fm": 1.8},
        {"unit": "S1", "retention": "1", "disposition": "discard", "volume_fm": 0},
    ]})
    result = excel.survey_import(engagement=engagement, file=content, actor=city_user)
    assert result.ok, result.errors
    with pytest.raises(ValidationError):
        unit.check_document_volume(Decimal("1.81"))
    unit.check_document_volume(None)


def test_shrinking_a_full_unit_in_the_import_is_refused(engagement, floor, make_unit, city_user):
    make_unit("S1", volumes={("5", "archive"): Decimal("8.00")})  # 4.50 fm, 5 shelves
    content = workbook_bytes({excel.STORAGE_SHEET: [
        {"number": "S1", "floor": "3階", "width_mm": 900, "depth_mm": 450, "height_mm": 1850,
         "shelf_count": 1},
    ]})
    result = excel.survey_import(engagement=engagement, file=content, actor=city_user)
    assert [(i.sheet, i.column) for i in result.errors] == [("収納", "段数")]


# --- Queries -----------------------------------------------------------------------------------


def test_re_import_takes_the_same_queries_as_new_rows(
    engagement, floor, city_user, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [desk_row(f"D{n:03d}") for n in range(200)]
    with CaptureQueriesContext(connection) as new:
        excel.survey_import(engagement=engagement, file=workbook_bytes({excel.DESK_SHEET: rows}),
                            actor=city_user, dry_run=True)
    excel.survey_import(engagement=engagement, file=workbook_bytes({excel.DESK_SHEET: rows}),
                        actor=city_user)
    changed = [desk_row(f"D{n:03d}", width_mm=1400) for n in range(200)]
    with django_assert_max_num_queries(len(new)):
        result = excel.survey_import(
            engagement=engagement, file=workbook_bytes({excel.DESK_SHEET: changed}),
            actor=city_user, dry_run=True,
        )
    assert result.updated["desks"] == 200


# --- The view: kept file, download names ------------------------------------------------------


def test_a_clean_dry_run_keeps_the_file_for_the_real_import(client, city_user, engagement,
                                                            floor):
    client.force_login(city_user)
    url = reverse("survey:excel_import", args=[engagement.pk])
    content = workbook_bytes({excel.DESK_SHEET: [desk_row("01")]}).getvalue()
    # given a clean dry run
    response = client.post(url, {"file": SimpleUploadedFile("机.xlsx", content),
                                 "dry_run": "on"})
    body = response.content.decode()
    assert 'id="pending-import"' in body and "机.xlsx" in body
    assert not Desk.objects.exists()
    token = client.session["survey_import_pending"][str(engagement.pk)]["token"]
    path = client.session["survey_import_pending"][str(engagement.pk)]["path"]
    assert default_storage.exists(path)
    # when the kept file is imported without uploading it again
    response = client.post(url, {"pending": token})
    # then the rows are imported and the kept file is gone
    assert "取り込みました" in response.content.decode()
    assert Desk.objects.filter(engagement=engagement, number="01").exists()
    assert not default_storage.exists(path)
    assert str(engagement.pk) not in client.session.get("survey_import_pending", {})


def test_a_wrong_token_imports_nothing(client, city_user, engagement, floor):
    client.force_login(city_user)
    response = client.post(reverse("survey:excel_import", args=[engagement.pk]),
                           {"pending": "0" * 32})
    assert "もう保管されていません" in response.content.decode()
    assert not Desk.objects.exists()


def test_the_export_is_named_in_japanese_with_an_ascii_fallback(client, city_user, engagement):
    client.force_login(city_user)
    response = client.get(reverse("survey:excel_export", args=[engagement.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="survey-{engagement.pk}-')
    assert "filename*=UTF-8''" in disposition
    from urllib.parse import unquote

    japanese = unquote(disposition.split("filename*=UTF-8''")[1])
    assert japanese.startswith(f"{engagement.section.name}_調査票_")
    assert japanese.endswith(".xlsx")


def test_imported_rows_and_their_history_are_written_like_the_orm_would(
    engagement, floor, city_user
):
    from survey.models import Desk

    excel.survey_import(engagement=engagement, actor=city_user,
                        file=workbook_bytes({excel.DESK_SHEET: [desk_row("01", notes="窓側")]}))
    desk = Desk.objects.get(engagement=engagement, number="01")
    assert (desk.floor, desk.width_mm, desk.notes) == (floor, 1200, "窓側")
    created = desk.history.get()
    assert (created.history_type, created.history_user, created.floor_id) == (
        "+", city_user, floor.pk)
    assert created.history_change_reason == "Excel取込"
    excel.survey_import(engagement=engagement, actor=city_user,
                        file=workbook_bytes({excel.DESK_SHEET: [desk_row("01", width_mm=1400)]}))
    desk.refresh_from_db()
    changed = desk.history.order_by("-history_id").first()
    assert (desk.width_mm, changed.history_type, changed.width_mm) == (1400, "~", 1400)
    assert changed.history_user == city_user
