"""Survey pages: the permission matrix, forms, the plan endpoint, query counts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engagements.choices import Role
from survey.models import Desk, Floor, StorageUnit
from tests.downloads import download_names

from .conftest import image_bytes

pytestmark = pytest.mark.django_db

READ_PAGES = [
    ("survey:index", False), ("survey:desk_list", False), ("survey:storage_list", False),
    ("survey:staffing", False), ("survey:analysis", False), ("survey:floor_plan", True),
    ("survey:floor_update", True), ("survey:desk_create", False), ("survey:excel_template", False),
    ("survey:excel_export", False), ("survey:excel_import", False),
]


def _url(name, engagement, floor, desk=None):
    kwargs = {"engagement_pk": engagement.pk}
    if name in ("survey:floor_plan", "survey:floor_update"):
        kwargs["pk"] = floor.pk
    if name in ("survey:desk_update",):
        kwargs["pk"] = desk.pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name,_needs_floor", READ_PAGES)
@pytest.mark.parametrize(
    "who,status",
    [(Role.CITY_STAFF, 200), (Role.CONTRACTOR, 200), (Role.ADMINISTRATOR, 200), ("outsider", 404)],
)
def test_every_member_reads_and_outsiders_get_404(
    client, member_by_role, engagement, floor, name, _needs_floor, who, status
):
    client.force_login(member_by_role[who])
    response = client.get(_url(name, engagement, floor))
    assert response.status_code == status


@pytest.mark.parametrize(
    "who,status",
    [(Role.CITY_STAFF, 302), (Role.CONTRACTOR, 403), (Role.ADMINISTRATOR, 403), ("outsider", 404)],
)
def test_only_city_staff_write(client, member_by_role, engagement, floor, section, who, status):
    client.force_login(member_by_role[who])
    response = client.post(
        reverse("survey:desk_create", args=[engagement.pk]),
        {"number": "07", "floor": floor.pk, "section": section.pk, "user_role": "staff",
         "desk_type": "flat", "size": "1200x700", "condition": "good", "monitor_count": 1,
         "under_desk_storage": "wagon", "document_fm": "0.5", "power_outlets": 2,
         "lan_outlets": 1},
    )
    assert response.status_code == status
    assert Desk.objects.filter(number="07").exists() == (status == 302)


def test_desk_form_offers_jis_sizes_and_fills_width_and_depth(client, city_user, engagement,
                                                              floor):
    client.force_login(city_user)
    page = client.get(reverse("survey:desk_create", args=[engagement.pk]))
    assert "W1200×D700" in page.content.decode()
    client.post(
        reverse("survey:desk_create", args=[engagement.pk]),
        {"number": "08", "floor": floor.pk, "user_role": "staff", "desk_type": "flat",
         "size": "1400x600", "condition": "good", "monitor_count": 0,
         "under_desk_storage": "none", "document_fm": "0", "power_outlets": 0, "lan_outlets": 0},
    )
    desk = Desk.objects.get(number="08")
    assert (desk.width_mm, desk.depth_mm) == (1400, 600)


def test_a_duplicate_desk_number_shows_a_japanese_message_and_saves_nothing(
    client, city_user, engagement, floor, desk
):
    client.force_login(city_user)
    response = client.post(
        reverse("survey:desk_create", args=[engagement.pk]),
        {"number": desk.number, "floor": floor.pk, "user_role": "staff", "desk_type": "flat",
         "size": "1200x700", "condition": "good", "monitor_count": 0,
         "under_desk_storage": "none", "document_fm": "0", "power_outlets": 0, "lan_outlets": 0},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "机番号 01 はこの案件にすでにあります。" in html
    assert "既に存在します" not in html
    assert Desk.objects.count() == 1


def test_another_engagements_desk_answers_404(client, city_user, other_engagement, other_floor):
    other = Desk.objects.create(
        engagement=other_engagement, floor=other_floor, number="X", width_mm=1000, depth_mm=600
    )
    client.force_login(city_user)
    engagement_pk = city_user.memberships.get().engagement_id
    assert client.get(
        reverse("survey:desk_update", args=[engagement_pk, other.pk])
    ).status_code == 404
    response = client.post(
        reverse("survey:placement_move", args=[engagement_pk, "desk", other.pk]),
        {"x_mm": 0, "y_mm": 0, "rotation_deg": 0},
    )
    assert response.status_code == 404


def test_placement_endpoint_saves_snapped_millimetres(client, city_user, engagement, desk):
    client.force_login(city_user)
    response = client.post(
        reverse("survey:placement_move", args=[engagement.pk, "desk", desk.pk]),
        {"x_mm": "2503", "y_mm": "1498", "rotation_deg": "90"},
    )
    assert response.json() == {"ok": True, "x_mm": 2500, "y_mm": 1500, "rotation_deg": 90}
    desk.refresh_from_db()
    assert (desk.x_mm, desk.y_mm, desk.rotation_deg) == (2500, 1500, 90)


def test_placement_endpoint_refuses_the_contractor(client, contractor, engagement, desk,
                                                   nothing_written):
    client.force_login(contractor)
    with nothing_written():
        response = client.post(
            reverse("survey:placement_move", args=[engagement.pk, "desk", desk.pk]),
            {"x_mm": "0", "y_mm": "0", "rotation_deg": "0"},
        )
    assert response.status_code == 403


def test_floor_upload_refuses_a_file_that_is_not_an_image(client, city_user, engagement,
                                                          media_root):
    client.force_login(city_user)
    response = client.post(
        reverse("survey:floor_create", args=[engagement.pk]),
        {"name": "4階", "mm_per_px": "20", "sort_order": 0,
         "plan_image": SimpleUploadedFile("plan.png", b"not an image", "image/png")},
    )
    assert response.status_code == 200
    assert not Floor.objects.filter(name="4階").exists()


def test_floor_upload_with_an_image_and_scale(client, city_user, engagement, media_root):
    client.force_login(city_user)
    response = client.post(
        reverse("survey:floor_create", args=[engagement.pk]),
        {"name": "4階", "mm_per_px": "20", "sort_order": 0,
         "plan_image": SimpleUploadedFile("plan.png", image_bytes(size=(500, 300)), "image/png")},
    )
    assert response.status_code == 302
    floor = Floor.objects.get(name="4階")
    assert (floor.width_mm, floor.depth_mm) == (10_000, 6_000)


def test_storage_form_saves_the_volume_grid(client, city_user, engagement, floor):
    client.force_login(city_user)
    response = client.post(
        reverse("survey:storage_create", args=[engagement.pk]),
        {"number": "C9", "kind": "cabinet", "floor": floor.pk, "width_mm": 900,
         "depth_mm": 450, "height_mm": 1850, "shelf_count": 5, "condition": "good",
         "volume_5_archive": "2.5", "volume_permanent_keep": "1"},
    )
    assert response.status_code == 302
    unit = StorageUnit.objects.get(number="C9")
    assert unit.capacity_fm == 4.5
    assert unit.volumes.count() == 2


def test_photo_upload_on_a_desk(client, city_user, engagement, desk, media_root):
    client.force_login(city_user)
    client.post(
        reverse("survey:photo_add", args=[engagement.pk, "desk", desk.pk]),
        {"image": SimpleUploadedFile("p.jpg", image_bytes("JPEG"), "image/jpeg"),
         "caption": "机上の書類"},
    )
    assert desk.photos.get().caption == "机上の書類"


def test_import_page_lists_errors_by_sheet_row_and_column(client, city_user, engagement, floor):
    from openpyxl import Workbook

    from survey import excel

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "机"
    with __import__("django.utils.translation").utils.translation.override("ja"):
        sheet.append([str(c.header) for c in excel.DESK_SHEET.columns])
    sheet.append(["01", "3階", None, None, None, "広い", 700])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(city_user)
    response = client.post(
        reverse("survey:excel_import", args=[engagement.pk]),
        {"file": SimpleUploadedFile("s.xlsx", buffer.getvalue()), "dry_run": "on"},
    )
    body = response.content.decode()
    assert "ブックにエラーがあります" in body
    assert "幅(mm)" in body and "整数を入力してください" in body
    assert not Desk.objects.exists()


def test_import_page_shows_each_error_beside_its_row_and_saves_nothing(
    client, city_user, engagement, floor
):
    import re

    from django.utils import translation
    from openpyxl import Workbook

    from survey import excel

    # given a workbook whose row 3 has two bad cells (one typed with a Japanese IME) and whose
    # row 4 has one, besides a good row 2
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "机"
    with translation.override("ja"):
        sheet.append([str(c.header) for c in excel.DESK_SHEET.columns if not c.export_only])
    sheet.append(["01", "3階", None, None, None, 1200, 700])
    sheet.append(["02", "3階", None, None, None, "広い", "７００ｍｍ"])
    sheet.append(["03", "3階", "存在しない課", None, None, 1200, 700])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(city_user)
    # when it is imported for real (not a dry run)
    response = client.post(
        reverse("survey:excel_import", args=[engagement.pk]),
        {"file": SimpleUploadedFile("s.xlsx", buffer.getvalue())},
    )
    # then the errors are grouped by row, each group naming the row, the desk number and
    # what was typed in the cell, and nothing was saved (not even the good row)
    body = response.content.decode()
    assert response.status_code == 200
    groups = re.findall(r'<tbody class="import-error-row[^"]*" data-sheet="机" '
                        r'data-row="(\d+)">(.*?)</tbody>', body, re.S)
    assert [row for row, _html in groups] == ["3", "4"]
    row3, row4 = (html for _row, html in groups)
    assert "3行目" in row3 and ">02<" in row3
    assert "広い" in row3 and "700mm" in row3 and row3.count("整数を入力してください") == 2
    assert "4行目" in row4 and ">03<" in row4 and "存在しない課" in row4
    assert "何も変更していません" in body
    assert not Desk.objects.exists()


def test_import_page_refuses_a_file_that_is_not_a_workbook(client, city_user, engagement):
    client.force_login(city_user)
    response = client.post(
        reverse("survey:excel_import", args=[engagement.pk]),
        {"file": SimpleUploadedFile("s.xlsx", b"PK not really")},
    )
    assert "Excelブック（.xlsx）ではありません" in response.content.decode()


# The queries each page makes (measured), with one desk and with sixty: the same number.
# Three of them renew the session (SAVEPOINT, UPDATE, RELEASE: the idle timeout); one reads
# the engagement (cached under its data generation from then on); the lists create the
# engagement's data-generation row on this first view (four queries, fragments.py).
PAGE_QUERIES = {
    "survey:desk_list": 16, "survey:storage_list": 16, "survey:analysis": 14,
    "survey:floor_plan": 15, "survey:index": 11, "survey:excel_export": 14,
}


@pytest.mark.parametrize("name", sorted(PAGE_QUERIES))
def test_query_counts_do_not_grow_with_the_number_of_desks(
    client, city_user, engagement, floor, make_desk, make_unit, name,
    django_assert_max_num_queries
):
    client.force_login(city_user)
    url = _url(name, engagement, floor)
    make_desk("00")
    make_unit("C0", volumes={("5", "keep"): "1"})
    with django_assert_max_num_queries(PAGE_QUERIES[name]) as small:
        client.get(url)
    for n in range(1, 60):
        make_desk(f"{n:02d}")
        make_unit(f"C{n}", volumes={("5", "keep"): "1", ("1", "discard"): "0.5"})
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_report_chapter_shows_the_plan_and_the_figures(engagement, floor, make_desk, make_unit):
    from django.utils import translation

    from reports.builder import report_html

    make_desk("01")
    make_unit("C1", volumes={("5", "archive"): "2"})
    with translation.override("ja"):
        html = report_html(engagement)
    assert "現況の配席図" in html and "<svg" in html and "1人当たり文書量" in html


@pytest.mark.parametrize("name", ["survey:excel_template", "survey:excel_export"])
def test_survey_workbooks_have_japanese_names_with_ascii_fallbacks(
        client, member_by_role, engagement, name):
    client.force_login(member_by_role[Role.CITY_STAFF])
    fallback, japanese = download_names(client.get(reverse(name, args=[engagement.pk])))
    assert fallback.startswith("survey-") and fallback.endswith(".xlsx")
    assert japanese.endswith(".xlsx") and not japanese.isascii()
