"""Tablet-sized browser tests: fill a storage unit with its documents; add a photo to it."""

import pytest

from survey.choices import Disposition, Retention
from survey.models import Photo, StorageUnit

from .conftest import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_staff_fill_a_storage_unit_and_its_documents_on_a_tablet(
    browser_page, sign_in, city_user, engagement, floor
):
    page = sign_in("city")
    page.goto(f"/engagements/{engagement.pk}/survey/storage/new/")
    # when a unit is typed in, the capacity is worked out as the width and shelves are typed
    page.get_by_label("収納番号").fill("C21")
    page.locator("#id_floor").select_option(str(floor.pk))
    page.get_by_label("幅（mm）").fill("900")
    page.get_by_label("奥行（mm）").fill("450")
    page.get_by_label("高さ（mm）").fill("1850")
    page.get_by_label("段数").fill("5")
    assert page.locator("#capacity").text_content() == "4.50"
    # and a document volume is entered with a bad value first
    page.get_by_label("3年 書庫へ移管").fill("-1")
    page.get_by_label("永年 手元に保管").fill("1.5")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    # then the error is shown in Japanese above the grid, naming the cell, and nothing is saved
    page.screenshot(path="/tmp/engA_storage_error.png", full_page=True)
    assert "3年 書庫へ移管" in page.locator(".alert-danger").nth(1).text_content()
    assert not StorageUnit.objects.exists()
    assert page.locator("#capacity").text_content() == "4.50"
    # when it is corrected
    page.get_by_label("3年 書庫へ移管").fill("2")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    # then the unit and its two volumes are saved
    assert "「C21」を保存し、平面図の空いている場所" in page.content()  # shown on the plan
    unit = StorageUnit.objects.get(number="C21")
    assert unit.capacity_fm == 4.5
    volumes = {(v.retention, v.disposition): v.volume_fm for v in unit.volumes.all()}
    assert volumes == {
        (Retention.YEARS_3, Disposition.ARCHIVE): 2,
        (Retention.PERMANENT, Disposition.KEEP): 1.5,
    }
    page.screenshot(path="/tmp/engA_storage_form.png", full_page=True)


def test_city_staff_add_a_photo_of_a_storage_unit(
    browser_page, sign_in, city_user, engagement, make_unit, tmp_path
):
    unit = make_unit("C01")
    photo_file = tmp_path / "cabinet.jpg"
    photo_file.write_bytes(image_bytes("JPEG", (640, 480)))
    not_an_image = tmp_path / "memo.jpg"
    not_an_image.write_bytes(b"not a picture")
    page = sign_in("city")
    page.goto(f"/engagements/{engagement.pk}/survey/storage/{unit.pk}/")
    # when a file that is not a picture is sent, the photo form says so and nothing is saved
    page.locator("#id_image").set_input_files(str(not_an_image))
    page.get_by_role("button", name="写真を追加").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback, .alert-danger").count() > 0
    assert not Photo.objects.exists()
    # when a photo is taken, captioned and chosen for the report
    page.goto(f"/engagements/{engagement.pk}/survey/storage/{unit.pk}/")
    page.locator("#id_image").set_input_files(str(photo_file))
    page.get_by_label("説明").fill("書類があふれたキャビネット")
    page.get_by_label("報告書に掲載").check()
    page.get_by_role("button", name="写真を追加").click()
    page.wait_for_load_state()
    # then it is stored for the unit and shown on its page
    photo = Photo.objects.get()
    assert (photo.storage_unit, photo.caption, photo.in_report) == (
        unit, "書類があふれたキャビネット", True
    )
    image = page.get_by_role("img", name="書類があふれたキャビネット")
    image.wait_for()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 640
    page.screenshot(path="/tmp/engA_storage_photo.png", full_page=True)
