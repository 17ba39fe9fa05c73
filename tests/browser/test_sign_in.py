import pytest

from engagements.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", [Role.CITY_STAFF, Role.CONTRACTOR])
def test_member_signs_in_and_reaches_the_dashboard(sign_in, member_by_role, engagement, role):
    user = member_by_role[role]
    page = sign_in(user.username)
    page.get_by_role("link", name=engagement.title).click()
    assert page.get_by_role("heading", level=1).inner_text() == engagement.title
    for stage in ["調査", "提案", "調達・設置", "廃棄・移設", "打合せ", "報告書"]:
        assert page.get_by_role("heading", name=stage, exact=False).first.is_visible()
    assert (
        page.locator("nav.navbar")
        .get_by_text("市職員" if role == Role.CITY_STAFF else "受託者")
        .is_visible()
    )


def test_wrong_password_shows_a_japanese_message(sign_in, city_user):
    page = sign_in("city", "wrong-password")
    assert page.get_by_text("正しいユーザー名とパスワードを入力してください").is_visible()


def test_report_pdf_is_built_and_downloaded_from_the_report_page(sign_in, city_user, engagement,
                                                                 tmp_path):
    page = sign_in("city")
    page.goto(f"/engagements/{engagement.pk}/")
    page.get_by_role("link", name="報告書を作成・ダウンロード（PDF・電子データ）").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("報告書")
    # the draft is built (in the tests' immediate task backend, during the request)
    page.get_by_role("button", name="報告書（案）を作成（PDF）").click()
    with page.expect_download() as download_info:
        page.locator("#builds").get_by_role("link", name="ダウンロード").first.click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert download.suggested_filename.endswith(".pdf")
    assert path.read_bytes().startswith(b"%PDF")
    assert path.stat().st_size > 10_000
