"""The one download helper: RFC 6266 names, the ASCII fallback, the MIME table, nosniff."""

import io
from urllib.parse import unquote

import pytest
from django.http import FileResponse

from engagements.downloads import (
    ascii_fallback,
    attach_disposition,
    content_disposition,
    file_response,
    mime_type,
    name_part,
)
from tests.downloads import download_names


def test_a_japanese_name_goes_in_filename_star_and_the_fallback_in_filename():
    # when
    header = content_disposition("受領書_西京区役所_20261201.pdf", "receipt-3.pdf")
    # then
    assert header == (
        'attachment; filename="receipt-3.pdf"; filename*=UTF-8\'\''
        "%E5%8F%97%E9%A0%98%E6%9B%B8_%E8%A5%BF%E4%BA%AC%E5%8C%BA%E5%BD%B9%E6%89%80_20261201.pdf"
    )


def test_an_ascii_name_is_its_own_fallback_and_inline_says_so():
    header = content_disposition("order-R8-001.pdf", inline=True)
    assert header == ('inline; filename="order-R8-001.pdf"; '
                      "filename*=UTF-8''order-R8-001.pdf")


def test_a_name_with_nothing_ascii_falls_back_to_download_with_its_extension():
    assert ascii_fallback("議事資料.pdf") == "download.pdf"
    assert ascii_fallback("議事資料") == "download"
    assert ascii_fallback("Café menu.pdf") == "Cafe_menu.pdf"


@pytest.mark.parametrize("name", [
    'a"b.pdf', "a\r\nSet-Cookie: x=1.pdf", "a\\b.pdf", "../../etc/passwd", "a\x00b.pdf",
    "報告\n書\".pdf",
])
def test_quotes_newlines_and_paths_in_a_name_never_reach_the_header(name):
    # when
    header = content_disposition(name, name)
    # then the header is one line with exactly the two quotes around the fallback
    assert "\r" not in header and "\n" not in header and "\x00" not in header
    assert header.count('"') == 2
    fallback = header.split('filename="')[1].split('"')[0]
    assert fallback.isascii() and "\\" not in fallback and "/" not in fallback
    utf8 = unquote(header.split("filename*=UTF-8''")[1])
    assert not any(ch in utf8 for ch in '"\\/\r\n\x00')
    assert " " not in header.split("filename*=")[1]


@pytest.mark.parametrize("name,mime", [
    ("a.pdf", "application/pdf"),
    ("a.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("a.zip", "application/zip"),
    ("a.png", "image/png"),
    ("写真.JPG", "image/jpeg"),
    ("a.csv", "text/csv; charset=utf-8"),
    ("a.exe", "application/octet-stream"),
    ("noextension", "application/octet-stream"),
])
def test_the_mime_table(name, mime):
    assert mime_type(name) == mime


def test_file_response_of_bytes_has_the_type_by_name_the_names_and_nosniff():
    # when
    response = file_response(b"%PDF-1.7", filename="議事録_打合せ_20260710_第1版.pdf",
                             fallback="minutes-20260710-meeting-1-v1.pdf")
    # then
    assert response["Content-Type"] == "application/pdf"
    fallback, name = download_names(response)
    assert (fallback, name) == ("minutes-20260710-meeting-1-v1.pdf",
                                "議事録_打合せ_20260710_第1版.pdf")
    assert response.content == b"%PDF-1.7"


def test_file_response_of_a_file_streams_it_with_the_given_type_and_inline():
    response = file_response(io.BytesIO(b"PK\x03\x04"), filename="電子データ.zip",
                             fallback="data.zip", content_type="application/zip", inline=True)
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/zip"
    assert download_names(response, inline=True) == ("data.zip", "電子データ.zip")
    assert b"".join(response.streaming_content) == b"PK\x03\x04"


def test_attach_disposition_sets_the_header_on_any_response():
    from django.http import HttpResponse

    response = attach_disposition(HttpResponse(b"x"), "調達.xlsx", "procurement-1.xlsx")
    assert download_names(response) == ("procurement-1.xlsx", "調達.xlsx")


def test_name_part_makes_a_title_safe_for_a_file_name():
    assert name_part('第1回 打合せ/"確認"\n') == "第1回_打合せ_確認"
    assert name_part("", "meeting") == "meeting"
