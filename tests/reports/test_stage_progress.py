"""The dashboard's 報告書 card says what is missing, not a bare percentage."""

import pytest
from django.urls import reverse

from engagements.stages import StageProgress
from reports import selectors

pytestmark = pytest.mark.django_db


def test_the_card_names_each_unfinished_stage_with_its_progress(client, city_user, engagement):
    client.force_login(city_user)
    html = client.get(reverse("engagements:dashboard", args=[engagement.pk])).content.decode()
    summary = selectors.stage_progress(engagement).summary
    assert "まだ足りないもの" in summary
    for label in ("調査 0%", "提案 0%", "調達・設置 0%", "廃棄・移設 0%", "打合せ 0%"):
        assert label in summary
    assert summary in html
    assert "進捗 0%" in html


def test_the_card_says_when_nothing_is_missing(engagement, monkeypatch):
    monkeypatch.setattr(selectors, "import_string",
                        lambda dotted: lambda e: StageProgress(100, "完了"))
    progress = selectors.stage_progress(engagement)
    assert progress.percent == 100
    assert progress.summary == "すべての段階が完了しています。報告書の章がそろっています。"
