"""Minutes form: an error summary at the top links to each field; empty optional rows are
not marked required (issue 12 item 8)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _url(engagement, minutes):
    return reverse("meetings:minutes_edit", args=[engagement.pk, minutes.pk])


def test_errors_are_summarised_with_links_to_the_fields(client, contractor, minutes,
                                                        engagement):
    client.force_login(contractor)
    response = client.post(_url(engagement, minutes), {
        "discussion": "変更後", "next_meeting": "",
        "decisions-TOTAL_FORMS": "2", "decisions-INITIAL_FORMS": "0",
        "decisions-1-text": "",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0",
        "items-0-status": "open",
        "items-1-owner": contractor.pk, "items-1-status": "open",
    })
    html = response.content.decode()
    start = html.index('id="error-summary"')
    summary = html[start:html.index("<form", start)]
    assert "1件の入力を直してください。何も保存されていません。" in summary
    assert re.search(r'<a class="alert-link" href="#id_items-1-description">内容（2行目）：'
                     r"このフィールドは必須です。</a>", summary)
    assert 'id="id_items-1-description"' in html
    minutes.refresh_from_db()
    assert minutes.discussion != "変更後"


def test_errors_without_a_field_are_listed_too(client, contractor, minutes, engagement):
    client.force_login(contractor)
    html = client.post(_url(engagement, minutes), {
        "discussion": "変更後", "next_meeting": "",
        "decisions-TOTAL_FORMS": "0", "decisions-INITIAL_FORMS": "0",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
        "items-0-description": "誰か", "items-0-status": "open",
    }).content.decode()
    start = html.index('id="error-summary"')
    summary = html[start:html.index("<form", start)]
    assert "宿題事項の担当者を指定してください。" in summary


def test_no_summary_without_errors(client, contractor, minutes, engagement):
    client.force_login(contractor)
    assert 'id="error-summary"' not in client.get(_url(engagement, minutes)).content.decode()


def test_empty_optional_rows_are_not_marked_required(client, contractor, minutes, engagement):
    client.force_login(contractor)
    html = client.get(_url(engagement, minutes)).content.decode()
    rows = re.findall(r'<div class="row[^"]*decision-row([^"]*)">', html)
    # the minutes' own decisions are required; the extra (empty) rows are optional
    assert rows and rows[-1] == " optional-row"
    extra = html[html.rindex("decision-row optional-row"):]
    assert 'name="decisions-' in extra
    assert "空の行は無視されます。入力した行には決定事項が必要です。" in html
