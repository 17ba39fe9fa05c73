"""The dashboard's 報告書 card says what is missing (the open items of the pre-submission check),
not a bare percentage."""

import pytest
from django.urls import reverse

from reports import checks, selectors
from reports.checks import CheckItem, open_items, pre_submission_check

pytestmark = pytest.mark.django_db


def test_the_card_names_the_open_items_of_the_check(client, city_user, engagement):
    client.force_login(city_user)
    html = client.get(reverse("engagements:dashboard", args=[engagement.pk])).content.decode()
    missing = open_items(pre_submission_check(engagement))
    progress = selectors.stage_progress(engagement)
    assert missing, "an empty engagement has open items"
    assert progress.summary.startswith(f"提出前の未了項目 {len(missing)}件：")
    assert str(missing[0].label) in progress.summary
    assert progress.summary in html
    assert f"進捗 {progress.percent}%" in html


def test_the_card_says_when_nothing_is_missing(engagement, monkeypatch):
    monkeypatch.setattr(checks, "pre_submission_check",
                        lambda e: [CheckItem("scope", "対象範囲", ok=True)])
    progress = selectors.stage_progress(engagement)
    assert (progress.percent, progress.summary) == (100, "提出できる状態")
