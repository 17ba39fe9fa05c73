"""Procurement's files (quote files, finding photos and correction photos) are written only
once the change commits, within the size limit of their kind; a refused post leaves nothing
in MEDIA_ROOT."""

import datetime as dt

import pytest
from django.urls import reverse

from procurement import services
from procurement.choices import FindingStatus
from procurement.choices import PositionStatus as P
from procurement.models import Finding, Quote
from tests.files_on_commit import (
    empty_media,  # noqa: F401
    limit_uploads,
    pdf,
    png,
    stored_files,
    written_only_on_commit,
)

pytestmark = pytest.mark.django_db

COVERED_FILE_FIELDS = {"procurement.Quote.file", "procurement.Finding.photo",
                       "procurement.Finding.correction_photo"}


def quote_args(order, suppliers, contractor, file):
    line = order.lines.first()
    return dict(order=order, supplier=suppliers[2], quoted_on=dt.date(2026, 10, 2),
                valid_until=None, tax_included=False, prices={line.pk: 1000}, file=file,
                actor=contractor)


def test_a_quotes_file_is_written_only_on_commit(empty_media, monkeypatch,  # noqa: F811
                                                 django_capture_on_commit_callbacks,
                                                 make_order, lines, suppliers, contractor):
    order = make_order({lines["desk"]: 2}, issue=False)
    written = written_only_on_commit(
        lambda: services.quote_create(**quote_args(order, suppliers, contractor, pdf())),
        media_root=empty_media, monkeypatch=monkeypatch,
        capture=django_capture_on_commit_callbacks)
    assert Quote.objects.get(file=written[0])
    quote = order.quotes_made[0]
    written_only_on_commit(
        lambda: services.quote_file_set(quote=Quote.objects.get(pk=quote.pk), file=pdf(),
                                        actor=contractor),
        media_root=empty_media, monkeypatch=monkeypatch,
        capture=django_capture_on_commit_callbacks)


def test_finding_photos_are_written_only_on_commit_with_their_display_copy(
        empty_media, monkeypatch, django_capture_on_commit_callbacks,  # noqa: F811
        position_in, city_user, contractor):
    position = position_in(P.INSTALLED)
    written = written_only_on_commit(
        lambda: services.finding_raise(position=position, text="天板に傷", photo=png(),
                                       actor=city_user),
        media_root=empty_media, monkeypatch=monkeypatch,
        capture=django_capture_on_commit_callbacks)
    finding = Finding.objects.get()
    assert written == [finding.photo.name,
                       finding.photo.name.replace("findings/", "findings/display/")]
    written = written_only_on_commit(
        lambda: services.finding_correct(finding=Finding.objects.get(pk=finding.pk),
                                         correction="交換しました", photo=png(),
                                         actor=contractor),
        media_root=empty_media, monkeypatch=monkeypatch,
        capture=django_capture_on_commit_callbacks)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CORRECTED
    assert written[0] == finding.correction_photo.name


def order_page(engagement, order):
    return reverse("procurement:order_detail", args=[engagement.pk, order.pk])


def test_a_refused_quote_leaves_no_file(client, empty_media, engagement,  # noqa: F811
                                        make_order, lines, suppliers, contractor):
    # given an order being quoted
    order = make_order({lines["desk"]: 2}, issue=False)
    client.force_login(contractor)
    # when a quote with a valid PDF but no price at all is posted
    response = client.post(order_page(engagement, order), {
        "step": "quote", "supplier": suppliers[2].pk, "quoted_on": "2026-10-02",
        "tax_included": "0", "file": pdf("見積.pdf")})
    # then it is refused and nothing is stored
    assert response.status_code == 400
    assert Quote.objects.filter(order=order).count() == 2
    assert stored_files(empty_media) == []


def test_a_quote_file_over_the_limit_is_refused_beside_the_field(
        settings, client, empty_media, engagement, make_order, lines, contractor):  # noqa: F811
    limit_uploads(settings, pdf=300)
    order = make_order({lines["desk"]: 2}, issue=False)
    quote = order.quotes_made[0]
    client.force_login(contractor)
    response = client.post(order_page(engagement, order), {
        "step": "quote_file", "quote": quote.pk, "version": quote.version,
        "file": pdf("見積.pdf", padding=400)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "ファイルが大きすぎます" in html and "300 B" not in html
    quote.refresh_from_db()
    assert not quote.file
    assert stored_files(empty_media) == []


def test_a_finding_photo_over_the_limit_is_refused_and_nothing_stored(
        settings, client, empty_media, engagement, position_in, city_user):  # noqa: F811
    limit_uploads(settings, image=200)
    position = position_in(P.INSTALLED)
    client.force_login(city_user)
    client.post(reverse("procurement:finding_raise", args=[engagement.pk, position.pk]),
                {"text": "傷", "photo": png(padding=400)}, follow=True)
    assert not Finding.objects.exists()
    assert stored_files(empty_media) == []
