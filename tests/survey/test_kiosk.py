"""Questionnaire kiosk: only the questions, no way out but the clerk's password or PIN."""

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from survey.kiosk import PIN_ATTEMPTS, SESSION_KEY
from survey.models import QuestionnaireResponse
from survey.models.questionnaire import SCORE_FIELDS, WaveKind, WaveStatus
from survey.services.questionnaire import questionnaire_wave_create, questionnaire_wave_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_wave(engagement, city_user):
    wave = questionnaire_wave_create(engagement=engagement, kind=WaveKind.BEFORE, actor=city_user)
    return questionnaire_wave_transition(wave=wave, target=WaveStatus.OPEN, actor=city_user)


def url(name, engagement, wave):
    return reverse(f"survey:questionnaire_{name}",
                   kwargs={"engagement_pk": engagement.pk, "wave_pk": wave.pk})


def answer_data():
    data = {name: "4" for name in SCORE_FIELDS}
    data.update(section="", comment="")
    return data


@pytest.fixture
def kiosk_client(client, city_user, engagement, open_wave):
    client.force_login(city_user)
    response = client.post(url("kiosk_start", engagement, open_wave), {"pin": "2468"})
    assert response.status_code == 302
    assert response.url == url("answer", engagement, open_wave)
    return client


def links_and_forms(html: str) -> list[str]:
    targets = re.findall(r'<a\b[^>]*\bhref="([^"]*)"', html)
    targets += re.findall(r'<form\b[^>]*\baction="([^"]*)"', html)
    forms_without_action = len(re.findall(r"<form\b(?![^>]*\baction=)[^>]*>", html))
    return targets + [""] * forms_without_action


def test_the_kiosk_pages_link_only_to_the_kiosk(kiosk_client, engagement, open_wave):
    allowed = {url(n, engagement, open_wave) for n in ("answer", "thanks", "kiosk_exit")}
    pages = {}
    pages["answer"] = kiosk_client.get(url("answer", engagement, open_wave))
    pages["thanks"] = kiosk_client.post(url("answer", engagement, open_wave), answer_data(),
                                        follow=True)
    pages["exit"] = kiosk_client.get(url("kiosk_exit", engagement, open_wave))
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        for target in links_and_forms(html):
            # an empty action posts to the page itself, which is a kiosk page
            path = urlsplit(target).path or response.request["PATH_INFO"]
            assert path in allowed, (name, target)
        # no clerk's name, no sign-out, no navigation
        assert "city" not in html.split("<body", 1)[1].lower().replace("city-", "")
        assert "ログアウト" not in html
        assert 'class="navbar' not in html
        assert "stage-nav" not in html
    assert "次の方の回答を始める" in pages["thanks"].content.decode()
    assert QuestionnaireResponse.objects.count() == 1


@pytest.mark.parametrize(
    "name,args",
    [("engagements:dashboard", "e"), ("engagements:engagement_list", ""),
     ("survey:desk_list", "e"), ("survey:index", "e"), ("admin:index", ""),
     ("survey:questionnaire_wave", "w")],
)
def test_the_kiosk_session_cannot_reach_engagement_data(kiosk_client, engagement, open_wave,
                                                        name, args):
    kwargs = {}
    if args:
        kwargs["engagement_pk"] = engagement.pk
    if args == "w":
        kwargs["wave_pk"] = open_wave.pk
    response = kiosk_client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response.url == url("answer", engagement, open_wave)


def test_sign_out_is_refused_while_the_kiosk_runs(kiosk_client, engagement, open_wave):
    response = kiosk_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == url("answer", engagement, open_wave)
    assert SESSION_KEY in kiosk_client.session


def test_a_wrong_secret_keeps_the_kiosk(kiosk_client, engagement, open_wave):
    response = kiosk_client.post(url("kiosk_exit", engagement, open_wave), {"secret": "1111"})
    assert response.status_code == 200
    assert "パスワードまたはPINが正しくありません" in response.content.decode()
    assert SESSION_KEY in kiosk_client.session
    assert kiosk_client.get(url("wave", engagement, open_wave)).status_code == 302


@pytest.mark.parametrize("secret", ["2468", "pass"])
def test_the_pin_or_the_password_ends_the_kiosk(kiosk_client, engagement, open_wave, secret):
    response = kiosk_client.post(url("kiosk_exit", engagement, open_wave), {"secret": secret})
    assert response.status_code == 302
    assert response.url == url("wave", engagement, open_wave)
    assert SESSION_KEY not in kiosk_client.session
    assert kiosk_client.get(reverse("engagements:dashboard", args=[engagement.pk])).status_code \
        == 200


@pytest.mark.parametrize("wrong", ["0000", "not-the-password"])
@pytest.mark.parametrize("right", ["2468", "pass"])
def test_after_five_wrong_entries_even_the_right_one_is_refused(kiosk_client, engagement,
                                                                open_wave, wrong, right):
    # given: five wrong PINs (or passwords)
    exit_url = url("kiosk_exit", engagement, open_wave)
    for _ in range(PIN_ATTEMPTS):
        response = kiosk_client.post(exit_url, {"secret": wrong})
        assert response.status_code == 200
    # when: the right PIN or password follows
    response = kiosk_client.post(exit_url, {"secret": right})
    # then: the exit is locked for the cool-off, with a message saying until when
    assert response.status_code == 200
    assert "入力の誤りが続いたため" in response.content.decode()
    assert "までキオスクを終了できません" in response.content.decode()
    assert SESSION_KEY in kiosk_client.session


def test_four_wrong_entries_still_let_the_pin_end_the_kiosk(kiosk_client, engagement,
                                                           open_wave):
    exit_url = url("kiosk_exit", engagement, open_wave)
    for _ in range(PIN_ATTEMPTS - 1):
        kiosk_client.post(exit_url, {"secret": "0000"})
    response = kiosk_client.post(exit_url, {"secret": "2468"})
    assert response.status_code == 302
    assert SESSION_KEY not in kiosk_client.session


def test_the_exit_unlocks_after_the_cool_off(kiosk_client, engagement, open_wave, settings):
    exit_url = url("kiosk_exit", engagement, open_wave)
    for _ in range(PIN_ATTEMPTS):
        kiosk_client.post(exit_url, {"secret": "0000"})
    session = kiosk_client.session
    data = session[SESSION_KEY]
    locked_until = datetime.fromisoformat(data["locked_until"])
    assert locked_until > timezone.now() + timedelta(hours=settings.AXES_COOLOFF_TIME) \
        - timedelta(minutes=5)
    # when the cool-off has passed (moved back, as the clock would)
    data["locked_until"] = (timezone.now() - timedelta(seconds=1)).isoformat()
    session[SESSION_KEY] = data
    session.save()
    response = kiosk_client.post(exit_url, {"secret": "2468"})
    assert response.status_code == 302
    assert SESSION_KEY not in kiosk_client.session


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.implementation = None  # take the settings above
    yield
    AxesProxyHandler.implementation = None


def test_wrong_passwords_at_the_kiosk_count_for_django_axes(axes_on, client, city_user,
                                                            engagement, open_wave):
    from axes.models import AccessAttempt

    # given: a kiosk without a PIN (the password is the only way out)
    client.force_login(city_user)
    client.post(url("kiosk_start", engagement, open_wave), {"pin": ""},
                REMOTE_ADDR="203.0.113.7")
    # when: five wrong passwords are tried at the kiosk exit
    for _ in range(PIN_ATTEMPTS):
        client.post(url("kiosk_exit", engagement, open_wave), {"secret": "guess"},
                    REMOTE_ADDR="203.0.113.7")
    # then: django-axes recorded them for the clerk, and the sign-in page is locked too
    attempt = AccessAttempt.objects.get(username=city_user.get_username())
    assert attempt.failures_since_start == PIN_ATTEMPTS
    assert SESSION_KEY in client.session
    other = Client()
    response = other.post(reverse("login"), {"username": city_user.get_username(),
                                             "password": "pass"}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in other.session


def test_a_locked_out_clerk_cannot_end_the_kiosk_with_the_password(axes_on, client, city_user,
                                                                   engagement, open_wave):
    # given: the clerk is locked out by django-axes (wrong passwords at the sign-in page)
    for _ in range(5):
        Client().post(reverse("login"), {"username": city_user.get_username(),
                                         "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
    client.force_login(city_user)
    client.post(url("kiosk_start", engagement, open_wave), {"pin": ""},
                REMOTE_ADDR="203.0.113.7")
    # when: the right password is entered at the kiosk exit
    response = client.post(url("kiosk_exit", engagement, open_wave), {"secret": "pass"},
                           REMOTE_ADDR="203.0.113.7")
    # then: refused with axes' lockout page, and the kiosk stays
    assert response.status_code == 429
    assert "ログインはロックされています" in response.content.decode()
    assert SESSION_KEY in client.session


def test_the_pin_must_be_4_to_8_digits(client, city_user, engagement, open_wave):
    client.force_login(city_user)
    response = client.post(url("kiosk_start", engagement, open_wave), {"pin": "12a"})
    assert response.status_code == 200
    assert "4〜8桁の数字" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_answer_page_without_a_kiosk_leads_to_starting_one(client, city_user, engagement,
                                                              open_wave):
    client.force_login(city_user)
    response = client.post(url("answer", engagement, open_wave), answer_data())
    assert response.status_code == 302
    assert response.url == url("kiosk_start", engagement, open_wave)
    assert not QuestionnaireResponse.objects.exists()


def test_a_closed_wave_keeps_the_kiosk_page_without_the_form(kiosk_client, city_user,
                                                             engagement, open_wave):
    questionnaire_wave_transition(wave=open_wave, target=WaveStatus.CLOSED, actor=city_user)
    response = kiosk_client.get(url("answer", engagement, open_wave))
    html = response.content.decode()
    assert response.status_code == 200
    assert "係員に返してください" in html
    assert "<form" not in html


def test_the_contractor_cannot_start_a_kiosk(client, contractor, engagement, open_wave):
    client.force_login(contractor)
    response = client.post(url("kiosk_start", engagement, open_wave), {"pin": ""})
    assert response.status_code == 403
    assert SESSION_KEY not in client.session
