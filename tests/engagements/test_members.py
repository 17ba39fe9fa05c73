"""The 管理者's members page: add, create, change role, end, with both sides always kept."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from engagements import services
from engagements.choices import Role
from engagements.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_url(engagement):
    return reverse("engagements:members", args=[engagement.pk])


@pytest.fixture
def colleague(administrator, make_engagement, make_user):
    """Somebody the administrator works with in another engagement."""
    elsewhere = make_engagement("共通の案件")
    services.membership_set(engagement=elsewhere, user=administrator, role=Role.ADMINISTRATOR)
    person = make_user("tanaka", last_name="田中", first_name="一")
    services.membership_set(engagement=elsewhere, user=person, role=Role.CITY_STAFF)
    return person


def test_add_an_existing_user(administrator, engagement, colleague):
    # given a user without a membership here, who works with the administrator elsewhere
    person = colleague
    # when the administrator adds them
    m = services.membership_add(engagement=engagement, user=person, role=Role.CITY_STAFF,
                                actor=administrator)
    # then they are a member, and the history names the administrator
    assert m.is_active and m.role == Role.CITY_STAFF
    assert m.history.get().history_user == administrator


def test_adding_a_member_twice_is_refused(administrator, city_user, engagement):
    with pytest.raises(ValidationError, match="すでにこの案件のメンバーです"):
        services.membership_add(engagement=engagement, user=city_user, role=Role.CONTRACTOR,
                                actor=administrator)


def test_ending_keeps_the_row_and_the_history_and_hides_the_engagement(
    client, administrator, city_user, contractor, engagement, make_member
):
    # given a second city member
    second = make_member(engagement, Role.CITY_STAFF, "city2")
    membership = Membership.objects.get(engagement=engagement, user=second)
    # when the administrator ends it
    services.membership_deactivate(membership=membership, actor=administrator)
    # then the row is kept inactive with one more history row
    row = Membership.all_objects.get(pk=membership.pk)
    assert row.is_active is False
    assert row.history.count() == 2
    assert row.history.first().history_user == administrator
    # and the person no longer sees the engagement
    client.force_login(second)
    assert client.get(reverse("engagements:dashboard", args=[engagement.pk])).status_code == 404
    assert engagement.title not in client.get(reverse("engagements:engagement_list")).content \
        .decode()


def test_an_ended_member_is_taken_up_again(administrator, city_user, contractor, engagement,
                                           make_member):
    second = make_member(engagement, Role.CONTRACTOR, "contractor2")
    membership = Membership.objects.get(engagement=engagement, user=second)
    services.membership_deactivate(membership=membership, actor=administrator)
    again = services.membership_add(engagement=engagement, user=second, role=Role.CITY_STAFF,
                                    actor=administrator)
    assert again.pk == membership.pk and again.is_active and again.role == Role.CITY_STAFF


@pytest.mark.parametrize("role", [Role.CITY_STAFF, Role.CONTRACTOR])
def test_the_last_member_of_a_side_cannot_be_ended(administrator, member_by_role, engagement,
                                                   role):
    membership = Membership.objects.get(engagement=engagement, user=member_by_role[role])
    with pytest.raises(ValidationError, match="少なくとも1人必要です"):
        services.membership_deactivate(membership=membership, actor=administrator)
    assert Membership.objects.get(pk=membership.pk).is_active
    assert membership.history.count() == 1


def test_the_last_city_member_cannot_change_role(administrator, city_user, contractor,
                                                 engagement):
    membership = Membership.objects.get(engagement=engagement, user=city_user)
    with pytest.raises(ValidationError, match="市職員"):
        services.membership_change_role(membership=membership, role=Role.CONTRACTOR,
                                        actor=administrator)
    assert Membership.objects.get(pk=membership.pk).role == Role.CITY_STAFF


def test_nobody_ends_their_own_membership(administrator, city_user, contractor, engagement,
                                          make_member):
    make_member(engagement, Role.ADMINISTRATOR, "admin2")
    own = Membership.objects.get(engagement=engagement, user=administrator)
    with pytest.raises(ValidationError, match="自分自身"):
        services.membership_deactivate(membership=own, actor=administrator)


@pytest.mark.parametrize("role", [Role.CITY_STAFF, Role.CONTRACTOR])
def test_only_the_administrator_manages_members(member_by_role, engagement, colleague, role):
    with pytest.raises(PermissionDenied):
        services.membership_add(engagement=engagement, user=colleague,
                                role=Role.CITY_STAFF, actor=member_by_role[role])


@pytest.mark.parametrize(
    "role,expected",
    [(Role.ADMINISTRATOR, 200), (Role.CITY_STAFF, 403), (Role.CONTRACTOR, 403),
     ("outsider", 404)],
)
def test_members_page_by_role(client, member_by_role, members_url, role, expected):
    client.force_login(member_by_role[role])
    assert client.get(members_url).status_code == expected


def test_members_link_only_for_the_administrator(client, member_by_role, engagement,
                                                 members_url):
    for role, shown in [(Role.ADMINISTRATOR, True), (Role.CITY_STAFF, False)]:
        client.force_login(member_by_role[role])
        page = client.get(reverse("engagements:dashboard", args=[engagement.pk]))
        assert (f'href="{members_url}"' in page.content.decode()) is shown


def test_page_creates_a_user_and_adds_them(client, administrator, members_url, engagement):
    client.force_login(administrator)
    response = client.post(members_url, {
        "action": "create", "new-last_name": "鈴木", "new-first_name": "花",
        "new-username": "suzuki",
        "new-email": "", "new-password": "kyoto-reform-2026", "new-role": Role.CONTRACTOR,
    }, follow=True)
    assert "鈴木 花 さんを受託者として追加しました" in response.content.decode()
    user = get_user_model().objects.get(username="suzuki")
    assert user.check_password("kyoto-reform-2026")
    assert Membership.objects.get(engagement=engagement, user=user).role == Role.CONTRACTOR


@pytest.mark.parametrize("username", ["やまだ", "ｙａｍａｄａ", "yamada１", "yamada h"])
def test_a_user_name_that_is_not_half_width_is_refused_beside_the_field(
        client, administrator, members_url, username):
    # given the help text's promise: half-width letters, digits and @ . + - _ only
    client.force_login(administrator)
    before = get_user_model().objects.count()
    # when a name in kana, full-width letters or digits, or with a space is posted
    response = client.post(members_url, {
        "action": "create", "new-last_name": "山田", "new-first_name": "花子",
        "new-username": username, "new-password": "kyoto-reform-2026",
        "new-role": Role.CITY_STAFF,
    })
    # then the form says so beside the field, keeps the input, and nobody is created
    html = response.content.decode()
    assert response.status_code == 200
    assert "半角の英字・数字と @ . + - _ だけで入力してください" in html
    assert get_user_model().objects.count() == before


def test_page_shows_errors_next_to_the_fields_and_saves_nothing(client, administrator,
                                                               members_url, city_user):
    client.force_login(administrator)
    response = client.post(members_url, {
        "action": "create", "new-last_name": "鈴木", "new-first_name": "花", "new-username": "city",
        "new-password": "123", "new-role": Role.CONTRACTOR,
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "ユーザー名「city」はすでに使われています" in html
    missing = client.post(members_url, {"action": "add", "add-username": "nobody",
                                        "add-role": Role.CITY_STAFF})
    assert "一緒に案件を担当している人に「nobody」はいません" in missing.content.decode()
    assert get_user_model().objects.count() == 2


def test_page_refuses_ending_the_last_contractor_with_a_message(client, administrator, city_user,
                                                                contractor, engagement,
                                                                members_url):
    client.force_login(administrator)
    membership = Membership.objects.get(engagement=engagement, user=contractor)
    response = client.post(members_url, {"action": "end", "membership": membership.pk},
                           follow=True)
    assert "「受託者」の役割のメンバーが少なくとも1人必要です" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).is_active


def test_page_changes_a_role(client, administrator, city_user, contractor, engagement,
                             members_url, make_member):
    second = make_member(engagement, Role.CITY_STAFF, "city2")
    membership = Membership.objects.get(engagement=engagement, user=second)
    client.force_login(administrator)
    client.post(members_url, {"action": "role", "membership": membership.pk,
                              f"m{membership.pk}-role": Role.CONTRACTOR,
                              f"m{membership.pk}-version": membership.version})
    assert Membership.objects.get(pk=membership.pk).role == Role.CONTRACTOR


# --- Nobody changes their own role; the add form reveals nothing of other engagements ----------


def test_nobody_changes_their_own_role(administrator, city_user, contractor, engagement,
                                       make_member):
    # given a second administrator, so the engagement would keep one
    make_member(engagement, Role.ADMINISTRATOR, "admin2")
    own = Membership.objects.get(engagement=engagement, user=administrator)
    # when the administrator makes themselves city staff
    with pytest.raises(ValidationError, match="自分の役割は変更できません"):
        services.membership_change_role(membership=own, role=Role.CITY_STAFF,
                                        actor=administrator)
    # then nothing changed
    own.refresh_from_db()
    assert (own.role, own.history.count()) == (Role.ADMINISTRATOR, 1)


def test_the_page_offers_no_role_form_for_ones_own_row(client, administrator, city_user,
                                                      contractor, engagement, members_url):
    client.force_login(administrator)
    own = Membership.objects.get(engagement=engagement, user=administrator)
    other = Membership.objects.get(engagement=engagement, user=city_user)
    html = client.get(members_url).content.decode()
    assert f'name="m{own.pk}-role"' not in html
    assert f'name="m{other.pk}-role"' in html
    assert "自分の役割は変更できません" in html
    # and a forged post is refused with the message, nothing changed
    response = client.post(members_url, {"action": "role", "membership": own.pk,
                                         f"m{own.pk}-role": Role.CITY_STAFF}, follow=True)
    assert "自分の役割は変更できません。" in response.content.decode()
    assert Membership.objects.get(pk=own.pk).role == Role.ADMINISTRATOR


def test_the_last_contractor_cannot_change_role(administrator, city_user, contractor,
                                                engagement):
    membership = Membership.objects.get(engagement=engagement, user=contractor)
    with pytest.raises(ValidationError, match="受託者"):
        services.membership_change_role(membership=membership, role=Role.CITY_STAFF,
                                        actor=administrator)
    assert Membership.objects.get(pk=membership.pk).role == Role.CONTRACTOR


def test_adding_says_the_same_for_an_unknown_name_and_a_name_elsewhere(
        client, administrator, city_user, contractor, engagement, members_url, outsider):
    # given "outsider", a member of another engagement the administrator is not in
    client.force_login(administrator)

    def answer(username):
        response = client.post(members_url, {"action": "add", "add-username": username,
                                              "add-role": Role.CITY_STAFF})
        html = response.content.decode().replace(username, "NAME")
        return re.sub(r'value="[A-Za-z0-9]{64}"', "", html)  # the CSRF token differs

    # when the administrator tries an existing name elsewhere and an unknown one
    elsewhere, unknown = answer("outsider"), answer("nosuchperson")
    # then both answers say the same, and nobody was added
    assert "一緒に案件を担当している人に「NAME」はいません" in elsewhere
    assert elsewhere == unknown
    assert not Membership.all_objects.filter(engagement=engagement, user=outsider).exists()
    with pytest.raises(ValidationError):
        services.membership_add(engagement=engagement, user=outsider, role=Role.CITY_STAFF,
                                actor=administrator)
    assert not Membership.all_objects.filter(engagement=engagement, user=outsider).exists()


def test_the_page_adds_a_colleague_from_another_engagement(client, administrator, city_user,
                                                          contractor, engagement, members_url,
                                                          colleague):
    client.force_login(administrator)
    response = client.post(members_url, {"action": "add", "add-username": "TANAKA",
                                         "add-role": Role.CONTRACTOR}, follow=True)
    assert "田中 一 さんを受託者として追加しました" in response.content.decode()
    assert Membership.objects.get(engagement=engagement, user=colleague).role == Role.CONTRACTOR


def test_a_stale_role_form_is_refused_with_the_current_role(client, administrator, city_user,
                                                            contractor, engagement,
                                                            members_url, make_member):
    # given two administrators who opened the members page at the same version
    second = make_member(engagement, Role.CITY_STAFF, "city2")
    membership = Membership.objects.get(engagement=engagement, user=second)
    opened = membership.version
    services.membership_change_role(membership=membership, role=Role.CONTRACTOR,
                                    version=opened, actor=administrator)
    # when the second save arrives with the version it opened
    client.force_login(administrator)
    response = client.post(members_url, {"action": "role", "membership": membership.pk,
                                         f"m{membership.pk}-role": Role.ADMINISTRATOR,
                                         f"m{membership.pk}-version": opened}, follow=True)
    # then it is refused, naming the current role, and the first save stands
    html = response.content.decode()
    assert "あなたが開いた後に他の人が保存しました" in html
    assert "現在の値：役割：受託者" in html
    assert Membership.objects.get(pk=membership.pk).role == Role.CONTRACTOR
