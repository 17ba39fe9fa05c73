import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.urls import reverse

pytestmark = pytest.mark.django_db

REQUIRED_TOOLS = ("pdffonts", "pdftotext")


@pytest.fixture(scope="module", autouse=True)
def poppler_is_installed():
    # make test installs poppler-utils; a missing tool is a set-up error, not a skip.
    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    assert not missing, f"install poppler-utils (missing {missing})"


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(path: Path) -> str:
    return subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def built_report(engagement, city_user, tmp_path) -> Path:
    output = tmp_path / "report.pdf"
    call_command("build_report", str(engagement.pk), "--output", str(output))
    return output


def test_build_report_writes_an_a4_pdf(built_report):
    from pypdf import PdfReader

    reader = PdfReader(built_report)
    box = reader.pages[0].mediabox
    # A4 is 595 × 842 points.
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert len(reader.pages) >= 4


def test_report_embeds_a_japanese_font(built_report):
    fonts = pdf_fonts(built_report)
    japanese = [
        line
        for line in fonts.splitlines()
        if any(name in line for name in ("IPAex", "Noto-Sans-CJK", "Noto-Serif-CJK"))
    ]
    assert japanese, fonts
    # columns: name, type, encoding, emb, sub, uni, object ID (two numbers)
    assert all(line.split()[-5] == "yes" for line in japanese), fonts


def test_report_has_cover_contents_chapters_and_page_numbers(built_report, engagement):
    text = pdf_text(built_report)
    pages = text.split("\f")
    cover = pages[0]
    assert "報 告 書" in cover  # letter-spaced title
    assert "京都市長 様" in cover  # the addressee (宛名) by default
    assert engagement.title in cover.replace("\n", "").replace(" ", "")
    assert engagement.contractor in cover
    assert "令和" in cover  # date of issue in the Japanese era
    assert "改訂履歴" in pages[1]
    contents = pages[2]
    assert "目次" in contents
    assert "第1章" in contents and "業務の概要" in contents
    # the contents give each chapter's page: chapter 1 starts on page 4 (after the cover,
    # the revision history and the contents)
    assert any(
        line.rstrip().endswith("4") and "業務の概要" in line for line in contents.splitlines()
    )
    # running footer with page numbers on every page after the cover
    total = len([p for p in pages if p.strip()])
    assert re.search(rf"\b4\s*/\s*{total}\b", pages[3])
    assert "組織図" in text
    assert engagement.section.name in text


def test_build_report_refuses_an_unknown_engagement(db, tmp_path):
    output = tmp_path / "none.pdf"
    with pytest.raises(CommandError, match="No engagement with id 999999"):
        call_command("build_report", "999999", "--output", str(output))
    assert not output.exists()


def test_build_report_command_exits_non_zero_for_an_unknown_engagement(db, tmp_path, capsys):
    # The command line as a clerk runs it: an error message and exit status 1.
    with pytest.raises(SystemExit) as excinfo:
        execute_from_command_line(
            ["manage.py", "build_report", "999999", "--output", str(tmp_path / "x.pdf")]
        )
    assert excinfo.value.code == 1
    assert "No engagement with id 999999." in capsys.readouterr().err


def test_report_page_lists_the_chapters(client, contractor, engagement):
    client.force_login(contractor)
    content = client.get(reverse("reports:index", args=[engagement.pk])).content.decode()
    for title in ("業務の概要", "実施体制", "工程", "調査方法", "まとめ・課題と今後", "資料編"):
        assert title in content
    assert "提出前チェック" in content


def test_report_page_numbers_chapters_but_not_the_appendices(client, contractor, engagement):
    client.force_login(contractor)
    content = client.get(reverse("reports:index", args=[engagement.pk])).content.decode()
    assert "第9章　打合せ記録" in content
    assert "第10章　まとめ・課題と今後" in content
    assert "付録　承認・協議の記録" in content
    assert "第11章" not in content


def test_electronic_data_is_for_members_only(client, outsider, engagement):
    client.force_login(outsider)
    assert client.get(reverse("reports:electronic_data", args=[engagement.pk])).status_code == 404
