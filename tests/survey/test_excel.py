"""Excel template, export and import: good files, each kind of error, refusals, 10,000 rows."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from survey import excel
from survey.models import Desk, SectionStaffing, StorageUnit

pytestmark = pytest.mark.django_db

DESK_HEADERS = None


def _headers(spec):
    with translation.override("ja"):
        return [str(c.header) for c in spec.columns if not c.export_only], str(spec.title)


def workbook_bytes(sheets: dict) -> io.BytesIO:
    """sheets: spec -> list of row dicts {column key: value}; every column header is written."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec, rows in sheets.items():
        headers, title = _headers(spec)
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        keys = [c.key for c in spec.columns if not c.export_only]
        for row in rows:
            sheet.append([row.get(k) for k in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def desk_row(number, **extra):
    row = {"number": number, "floor": "3階", "width_mm": 1200, "depth_mm": 700}
    row.update(extra)
    return row


def test_template_has_one_sheet_per_table_japanese_headers_lists_and_an_example(engagement, floor):
    workbook = load_workbook(io.BytesIO(excel.template_workbook(engagement)))
    assert {"机", "収納", "文書量", "人数"} <= set(workbook.sheetnames)
    desks = workbook["机"]
    assert desks["A1"].value == "机番号"
    assert desks["A2"].value.startswith("例")
    assert desks.data_validations.dataValidation, "choice columns offer a list"


def test_the_template_imported_unchanged_is_refused_as_empty(engagement, floor, city_user):
    content = io.BytesIO(excel.template_workbook(engagement))
    with pytest.raises(excel.ImportRefused) as excinfo:
        excel.survey_import(engagement=engagement, file=content, actor=city_user)
    assert "取り込む行がありません" in str(excinfo.value)


def test_a_good_file_creates_and_updates_rows_by_number(
    engagement, floor, section, make_desk, city_user
):
    # given desk 01 exists
    make_desk("01", width_mm=1000)
    content = workbook_bytes({
        excel.DESK_SHEET: [
            desk_row("01", section=section.name, user_role="課長"),
            desk_row("02", has_pc="あり", monitor_count=2, document_fm="0.8"),
        ],
        excel.STORAGE_SHEET: [
            {"number": "C1", "floor": "3階", "kind": "キャビネット", "width_mm": 900,
             "depth_mm": 450, "height_mm": 1850, "shelf_count": 5},
        ],
        excel.VOLUME_SHEET: [
            {"unit": "C1", "retention": "5年", "disposition": "書庫へ移管", "volume_fm": 2.5},
        ],
        excel.STAFFING_SHEET: [{"section": section.name, "headcount": 19}],
    })
    # when
    result = excel.survey_import(engagement=engagement, file=content, actor=city_user)
    # then
    assert result.ok, [str(e) for e in result.errors]
    assert result.created["desks"] == 1 and result.updated["desks"] == 1
    desk = Desk.objects.get(number="01")
    assert (desk.width_mm, desk.user_role, desk.section) == (1200, "section_chief", section)
    assert Desk.objects.get(number="02").document_fm == Decimal("0.80")
    unit = StorageUnit.objects.get(number="C1")
    assert unit.volumes.get().volume_fm == Decimal("2.50")
    assert SectionStaffing.objects.get().headcount == 19
    assert desk.history.first().history_change_reason == "Excel取込"


def test_full_width_digits_and_spaces_are_normalised(engagement, floor, city_user):
    content = workbook_bytes({
        excel.DESK_SHEET: [desk_row("０３", floor="３階", width_mm="１，２００",
                                    depth_mm="　７００　", monitor_count="２")],
    })
    result = excel.survey_import(engagement=engagement, file=content, actor=city_user)
    assert result.ok, [str(e) for e in result.errors]
    desk = Desk.objects.get()
    assert (desk.number, desk.width_mm, desk.depth_mm, desk.monitor_count) == ("03", 1200, 700, 2)


ERROR_CASES = [
    ("not a number", desk_row("01", width_mm="幅広"), "幅(mm)", "整数"),
    ("unknown choice", desk_row("01", condition="ピカピカ"), "状態", "選択肢"),
    ("unknown floor", desk_row("01", floor="99階"), "フロア", "99階"),
    ("unknown section", desk_row("01", section="架空の課"), "担当", "架空の課"),
    ("missing required", desk_row("01", depth_mm=None), "奥行(mm)", "必須"),
    ("bad boolean", desk_row("01", has_pc="たぶん"), "PC", "あり"),
    ("model rule", desk_row("01", monitor_count=9), "モニター台数", ""),
]


@pytest.mark.parametrize("case,row,column,text", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_each_kind_of_error_is_listed_by_sheet_row_and_column_and_nothing_changes(
    case, row, column, text, engagement, floor, city_user
):
    content = workbook_bytes({excel.DESK_SHEET: [desk_row("00"), row]})
    result = excel.survey_import(engagement=engagement, file=content, actor=city_user)
    assert len(result.errors) == 1
    issue = result.errors[0]
    assert (issue.sheet, issue.row, issue.column) == ("机", 3, column)
    assert text in issue.message
    assert "シート「机」3行目" in str(issue)
    assert not Desk.objects.exists()


def test_duplicate_numbers_and_unknown_units_are_errors(engagement, floor, city_user):
    content = workbook_bytes({
        excel.DESK_SHEET: [desk_row("01"), desk_row("01")],
        excel.VOLUME_SHEET: [
            {"unit": "NOPE", "retention": "1年", "disposition": "廃棄", "volume_fm": 1},
        ],
    })
    result = excel.survey_import(engagement=engagement, file=content, actor=city_user)
    messages = [str(e) for e in result.errors]
    assert any("2行目にもあります" in m for m in messages)
    assert any("NOPE" in m and "文書量" in m for m in messages)
    assert not Desk.objects.exists()


def test_a_dry_run_changes_nothing(engagement, floor, city_user):
    content = workbook_bytes({excel.DESK_SHEET: [desk_row("01")]})
    result = excel.survey_import(engagement=engagement, file=content, actor=city_user,
                                 dry_run=True)
    assert result.ok and result.created["desks"] == 1
    assert not Desk.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(engagement, city_user):
    with pytest.raises(excel.ImportRefused) as excinfo:
        excel.survey_import(engagement=engagement, file=io.BytesIO(b"a,b,c\n1,2,3"),
                            actor=city_user)
    assert "Excelブック" in str(excinfo.value)


def test_an_empty_sheet_is_refused(engagement, city_user):
    workbook = Workbook()
    workbook.active.title = "机"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(excel.ImportRefused) as excinfo:
        excel.survey_import(engagement=engagement, file=buffer, actor=city_user)
    assert "シート「机」が空です" in str(excinfo.value)


def test_a_missing_column_is_refused(engagement, floor, city_user):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "机"
    sheet.append(["机番号", "フロア"])
    sheet.append(["01", "3階"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(excel.ImportRefused) as excinfo:
        excel.survey_import(engagement=engagement, file=buffer, actor=city_user)
    assert "列「担当」がありません" in str(excinfo.value)


def test_export_then_import_changes_nothing(engagement, floor, section, make_desk, make_unit,
                                           city_user):
    # given
    make_desk("01", has_phone=True, notes="窓側")
    make_unit("C1", volumes={("5", "archive"): "2.5"})
    SectionStaffing.objects.create(engagement=engagement, section=section, headcount=19)
    # when
    content = io.BytesIO(excel.export_workbook(engagement))
    result = excel.survey_import(engagement=engagement, file=content, actor=city_user)
    # then
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == {"desks": 0, "storage": 0, "volumes": 0, "staffing": 0}
    assert result.updated == {"desks": 0, "storage": 0, "volumes": 0, "staffing": 0}
    assert Desk.objects.get().history.count() == 1


def test_the_contractor_cannot_import(engagement, floor, contractor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        excel.survey_import(
            engagement=engagement, file=workbook_bytes({excel.DESK_SHEET: [desk_row("1")]}),
            actor=contractor,
        )


def test_ten_thousand_rows_import_in_bulk(engagement, floor, city_user,
                                          django_assert_max_num_queries):
    rows = [desk_row(f"D{n:05d}", x_mm=n % 18000) for n in range(10_000)]
    content = workbook_bytes({excel.DESK_SHEET: rows})
    # Bulk writes: 507 queries on SQLite (its small batches; fewer on PostgreSQL), not one
    # per row. A new query per row would add 10,000.
    with django_assert_max_num_queries(507):
        result = excel.survey_import(engagement=engagement, file=content, actor=city_user)
    assert result.ok
    assert Desk.objects.count() == 10_000
    assert Desk.history.count() == 10_000


def test_import_command_dry_run_and_refusal(engagement, floor, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_bytes({excel.DESK_SHEET: [desk_row("01")]}).getvalue())
    call_command("import_survey", str(engagement.pk), str(good), "--dry-run")
    assert not Desk.objects.exists()
    call_command("import_survey", str(engagement.pk), str(good))
    assert Desk.objects.count() == 1

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(CommandError):
        call_command("import_survey", str(engagement.pk), str(bad))
    errors = tmp_path / "errors.xlsx"
    errors.write_bytes(workbook_bytes({excel.DESK_SHEET: [desk_row("02", width_mm="x")]})
                       .getvalue())
    with pytest.raises(CommandError):
        call_command("import_survey", str(engagement.pk), str(errors))
    assert "3行目" not in capsys.readouterr().out
    assert Desk.objects.count() == 1


def test_export_command_writes_the_workbook(engagement, make_desk, tmp_path):
    make_desk("01")
    target = tmp_path / "out.xlsx"
    call_command("export_survey", str(engagement.pk), "--output", str(target))
    sheet = load_workbook(target)["机"]
    assert sheet["A2"].value == "01"
