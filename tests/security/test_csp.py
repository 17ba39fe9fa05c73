"""Content-Security-Policy: nonces, no unsafe-inline for scripts (item 14); the main pages
load in Chromium without a single violation."""

import re

import pytest
from django.urls import reverse

from tests.conftest import DEMO_GROUP

pytestmark = pytest.mark.django_db


def test_every_page_has_a_policy_with_a_nonce_and_no_unsafe_inline_scripts(client, city_user,
                                                                           engagement):
    client.force_login(city_user)
    response = client.get(reverse("engagements:dashboard", args=[engagement.pk]))
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)[1]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert script_src == "'self'"  # a nonce is added when the page has an inline script
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_inline_scripts_carry_the_nonce_and_no_inline_handlers_remain(client, city_user,
                                                                       engagement, floor, desk):
    client.force_login(city_user)
    for url in [reverse("survey:desk_update", args=[engagement.pk, desk.pk]),
                reverse("survey:floor_plan", args=[engagement.pk, floor.pk]),
                reverse("survey:storage_create", args=[engagement.pk]),
                reverse("engagements:dashboard", args=[engagement.pk])]:
        response = client.get(url)
        match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        html = response.content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        # an inline script is allowed only with this response's nonce (the policy names it)
        for tag in inline:
            assert match is not None and f'nonce="{match[1]}"' in tag, tag
        assert not re.search(r"\son[a-z]+=\"", html)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group(DEMO_GROUP)
def test_main_pages_load_without_csp_violations(chromium_browser, live_server, demo_data):
    from engagements.models import Engagement
    from meetings.models import Meeting, Minutes
    from proposals.models import Alternative, Proposal
    from survey.models import Desk, Floor, StorageUnit

    engagement = Engagement.objects.filter(memberships__user__username="contractor").first()
    e = engagement.pk
    floor = Floor.objects.filter(engagement=engagement).first()
    alternative = Alternative.objects.filter(proposal__engagement=engagement).first()
    pages = [
        "/accounts/login/",
    ]
    signed_in = [
        reverse("engagements:engagement_list"),
        reverse("engagements:dashboard", args=[e]),
        reverse("survey:desk_list", args=[e]),
        reverse("survey:desk_update", args=[e, Desk.objects.filter(engagement=engagement)
                                                .first().pk]),
        reverse("survey:storage_update", args=[e, StorageUnit.objects.filter(
            engagement=engagement).first().pk]),
        reverse("survey:floor_plan", args=[e, floor.pk]),
        reverse("proposals:index", args=[e]),
        reverse("proposals:proposal_detail", args=[e, Proposal.objects.filter(
            engagement=engagement).first().pk]),
        reverse("proposals:alternative_detail", args=[e, alternative.pk]),
        reverse("proposals:alternative_editor", args=[e, alternative.pk]),
        reverse("meetings:index", args=[e]),
        reverse("meetings:meeting_detail", args=[e, Meeting.objects.filter(
            engagement=engagement).first().pk]),
        reverse("meetings:meeting_create", args=[e]),
        reverse("meetings:action_items", args=[e]),
        reverse("reports:index", args=[e]),
    ]
    minutes = Minutes.objects.filter(meeting__engagement=engagement,
                                     status__in=["draft", "returned"]).first()
    if minutes is not None:
        signed_in.append(reverse("meetings:minutes_edit", args=[e, minutes.pk]))
    context = chromium_browser.new_context(base_url=live_server.url, locale="ja-JP",
                                           viewport={"width": 1024, "height": 768})
    page = context.new_page()  # NOT bypassing the policy, unlike browser_page
    page.set_default_timeout(15_000)
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
        "window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':'"
        " + e.lineNumber));"
    )
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy"
            in m.text or "Content-Security-Policy" in m.text else None)
    seen = {}
    for url in pages:
        page.goto(url)
        seen[url] = page.evaluate("window.__csp")
    def visit(username, urls):
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.get_by_label("ユーザー名").fill(username)
        page.get_by_label("パスワード").fill(f"{username}-demo-pass")
        page.get_by_role("button", name="ログイン").click()
        page.wait_for_load_state()
        for url in urls:
            response = page.goto(url)
            assert response.status < 400, url
            page.wait_for_load_state("networkidle")
            seen[f"{username} {url}"] = page.evaluate("window.__csp")

    visit("contractor", signed_in)
    visit("admin", ["/admin/", "/admin/auth/user/", "/admin/meetings/meeting/add/"])
    context.close()
    assert {url: v for url, v in seen.items() if v} == {}
    assert console == []
