import pytest
from django.urls import reverse

from engagements.choices import Role
from engagements.services import membership_set

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_the_sign_in_page(client, engagement):
    response = client.get(reverse("engagements:dashboard", args=[engagement.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_sign_in_page_is_japanese(client):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in content
    assert "ユーザー名" in content and "パスワード" in content
    assert "ログイン" in content


def test_wrong_password_gets_a_clear_japanese_message(client, city_user):
    response = client.post(reverse("login"), {"username": "city", "password": "wrong"})
    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_leads_to_the_engagement_list(client, city_user, engagement):
    response = client.post(reverse("login"), {"username": "city", "password": "pass"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("engagements:engagement_list")
    assert engagement.title in response.content.decode()


def test_sign_out_is_a_post_and_ends_the_session(client, city_user):
    client.force_login(city_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_engagement_list_shows_only_the_users_engagements(
    client, city_user, engagement, outsider, other_engagement
):
    client.force_login(city_user)
    content = client.get(reverse("engagements:engagement_list")).content.decode()
    assert engagement.title in content
    assert other_engagement.title not in content


@pytest.mark.parametrize("role", [Role.CITY_STAFF, Role.CONTRACTOR, Role.ADMINISTRATOR])
def test_every_member_sees_the_dashboard_with_six_stages(client, member_by_role, engagement, role):
    client.force_login(member_by_role[role])
    response = client.get(reverse("engagements:dashboard", args=[engagement.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    for label in ["調査", "提案", "調達・設置", "廃棄・移設", "打合せ", "報告書"]:
        assert f"{label}</h3>" in content
    assert reverse("reports:index", args=[engagement.pk]) in content
    assert "報告書を作成・ダウンロード" in content


@pytest.mark.parametrize(
    "url_name",
    [
        "engagements:dashboard",
        "engagements:engagement_detail",
        "survey:index",
        "proposals:index",
        "procurement:index",
        "disposal:index",
        "meetings:index",
        "reports:index",
        "reports:report_pdf",
    ],
)
def test_another_engagements_pages_answer_404(client, outsider, engagement, url_name):
    client.force_login(outsider)
    response = client.get(reverse(url_name, args=[engagement.pk]))
    assert response.status_code == 404


def test_unknown_engagement_answers_404(client, city_user):
    client.force_login(city_user)
    assert client.get(reverse("engagements:dashboard", args=[99999])).status_code == 404


def test_dashboard_links_other_engagements_for_members_of_several(
    client, city_user, engagement, other_engagement
):
    # given a city-staff member of two engagements
    membership_set(engagement=other_engagement, user=city_user, role=Role.CITY_STAFF)
    client.force_login(city_user)
    # when they open one engagement's dashboard
    content = client.get(reverse("engagements:dashboard", args=[engagement.pk])).content.decode()
    # then it points them to the other one
    assert "ほかに1件の案件のメンバーです。" in content


def test_language_switch_to_english(client, city_user, engagement):
    client.force_login(city_user)
    url = reverse("engagements:dashboard", args=[engagement.pk])
    response = client.post(reverse("set_language"), {"language": "en", "next": url}, follow=True)
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Survey</h3>" in content
    assert "Report: build and download (PDF, electronic data)" in content


def test_detail_page_shows_the_org_chart_and_history(client, city_user, engagement):
    client.force_login(city_user)
    engagement.floor = "4階"
    engagement._history_user = city_user
    engagement.save()
    content = client.get(
        reverse("engagements:engagement_detail", args=[engagement.pk])
    ).content.decode()
    assert engagement.section.name in content
    assert 'class="unit site"' in content
    assert "変更履歴" in content
    assert "3階" in content and "4階" in content  # before and after


def test_admin_site_is_for_administrators_only(client, city_user, make_user):
    client.force_login(city_user)
    assert client.get("/admin/").status_code == 302
    staff = make_user("staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
