"""A quote's file is attached or replaced on the order page while the order is being quoted;
the history keeps the old one, a wrong file is refused beside the quote, an issued order's
quotes stay as they were ordered."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from procurement import services
from procurement.models import Quote

pytestmark = pytest.mark.django_db

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def page(engagement, order):
    return reverse("procurement:order_detail", args=[engagement.pk, order.pk])


def post_file(client, engagement, order, quote, content, name="見積.pdf", version=None):
    return client.post(page(engagement, order), {
        "step": "quote_file", "quote": quote.pk,
        "version": quote.version if version is None else version,
        "file": SimpleUploadedFile(name, content)})


def test_a_file_is_attached_then_replaced_and_the_history_keeps_both(
        client, engagement, contractor, plan, lines, make_order):
    order = make_order({lines["desk"]: 2}, issue=False)
    quote = order.quotes_made[0]
    client.force_login(contractor)
    assert "ファイルを添付" in client.get(page(engagement, order)).content.decode()
    response = post_file(client, engagement, order, quote, PDF, "first.pdf")
    assert response.status_code == 302
    quote.refresh_from_db()
    first = quote.file.name
    assert first.endswith(".pdf") and quote.version == 1
    html = client.get(page(engagement, order)).content.decode()
    start = html.index('id="quote-files"')
    listing = html[start:html.index("</ul>", start)]
    assert "ファイルを差し替え" in listing, listing
    assert quote.file.url in listing
    assert post_file(client, engagement, order, quote, PDF, "second.pdf").status_code == 302
    quote.refresh_from_db()
    assert quote.file.name != first
    names = [h.file for h in quote.history.order_by("history_id")]
    assert names[-2:] == [first, quote.file.name]


def test_a_file_that_is_not_a_pdf_or_image_is_refused_beside_the_quote(
        client, engagement, contractor, plan, lines, make_order):
    order = make_order({lines["desk"]: 2}, issue=False)
    quote = order.quotes_made[1]
    client.force_login(contractor)
    response = post_file(client, engagement, order, quote, b"<html>not a quote</html>",
                         "quote.pdf")
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_quote{quote.pk}_file-errors"' in html and "PDF" in html
    quote.refresh_from_db()
    assert not quote.file and quote.version == 0


def test_a_stale_page_does_not_replace_a_file_saved_since(
        client, engagement, contractor, plan, lines, make_order):
    order = make_order({lines["desk"]: 2}, issue=False)
    quote = order.quotes_made[0]
    client.force_login(contractor)
    assert post_file(client, engagement, order, quote, PDF, "a.pdf").status_code == 302
    response = post_file(client, engagement, order, quote, PDF, "b.pdf", version=0)
    assert response.status_code == 400 and "他の人が保存しました" in response.content.decode()
    quote.refresh_from_db()
    assert quote.file.name.endswith("_a.pdf")


def test_an_issued_orders_quotes_keep_their_files(client, engagement, contractor, plan, lines,
                                                  make_order):
    order = make_order({lines["desk"]: 2})
    quote = order.quotes_made[0]
    client.force_login(contractor)
    assert "ファイルを添付" not in client.get(page(engagement, order)).content.decode()
    response = post_file(client, engagement, order, quote, PDF)
    assert response.status_code == 400
    assert "見積ファイルを変更できるのは、発注が見積中の間だけです。" in response.content.decode()
    assert not Quote.objects.get(pk=quote.pk).file


def test_city_staff_and_other_engagements_cannot_change_a_quote_file(
        client, engagement, contractor, city_user, outsider, other_engagement, plan, lines,
        make_order):
    order = make_order({lines["desk"]: 2}, issue=False)
    quote = order.quotes_made[0]
    client.force_login(city_user)
    assert post_file(client, engagement, order, quote, PDF).status_code == 403
    client.force_login(outsider)
    assert post_file(client, engagement, order, quote, PDF).status_code == 404
    with pytest.raises(PermissionDenied):
        services.quote_file_set(quote=quote, file=SimpleUploadedFile("x.pdf", PDF),
                                actor=outsider)
    assert not Quote.objects.get(pk=quote.pk).file


def test_the_file_is_written_only_when_the_change_commits(
        engagement, contractor, plan, lines, make_order, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    order = make_order({lines["desk"]: 2}, issue=False)
    quote = order.quotes_made[0]
    with django_capture_on_commit_callbacks(execute=False) as pending:
        saved = services.quote_file_set(quote=quote, file=SimpleUploadedFile("c.pdf", PDF),
                                        actor=contractor)
    assert not default_storage.exists(saved.file.name)  # a rollback would leave nothing
    for callback in pending:
        callback()
    assert default_storage.exists(saved.file.name)
