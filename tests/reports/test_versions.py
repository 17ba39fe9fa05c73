"""Versions (版): submitted once, stored, byte-identical downloads; the city's decision."""

import hashlib
import io
import subprocess
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from reports import services
from reports.models import (
    BuildKind,
    BuildState,
    ReportBuild,
    ReportVersion,
    ReportVersionStatusChange,
    VersionStatus,
)

pytestmark = pytest.mark.django_db


def _zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_submitted_version_downloads_are_byte_identical_and_the_zip_holds_the_same_pdf(
        client, story):
    engagement = story.engagement
    client.force_login(story.contractor)
    # given a version submitted with its open items acknowledged
    response = client.post(reverse("reports:version_submit", args=[engagement.pk]),
                           {"acknowledgement": "第2回の議事録は確認中である。"})
    assert response.status_code == 302
    version = ReportVersion.objects.get(engagement=engagement)
    assert (version.number, version.status) == (1, VersionStatus.SUBMITTED)
    assert version.status_changes.get().new_status == VersionStatus.SUBMITTED
    assert version.open_items  # the unconfirmed minutes, at least
    # when the version's PDF is downloaded twice
    url = reverse("reports:version_download", args=[engagement.pk, 1, "pdf"])
    first = b"".join(client.get(url).streaming_content)
    second_response = client.get(url)
    second = b"".join(second_response.streaming_content)
    # then the bytes are the same and match the stored SHA-256
    assert first == second
    assert hashlib.sha256(first).hexdigest() == version.pdf_sha256
    disposition = second_response["Content-Disposition"]
    assert 'filename="report_' in disposition and "filename*=UTF-8''" in disposition
    assert "%E5%A0%B1%E5%91%8A%E6%9B%B8" in disposition  # 報告書, percent-encoded
    # and the ZIP of the version holds exactly those bytes
    archive = _zip_of(client.get(reverse("reports:version_download",
                                         args=[engagement.pk, 1, "zip"])))
    pdfs = [n for n in archive.namelist() if n.endswith(".pdf") and n.count("/") == 1]
    assert len(pdfs) == 1 and "第1版" in pdfs[0]
    assert archive.read(pdfs[0]) == first
    # and a rebuilt draft does not change the stored version
    client.post(reverse("reports:build", args=[engagement.pk]), {"kind": BuildKind.DRAFT_PDF})
    assert b"".join(client.get(url).streaming_content) == first


def test_zip_index_lists_every_file_with_its_size_and_sha256(client, story):
    engagement = story.engagement
    client.force_login(story.city)
    client.post(reverse("reports:build", args=[engagement.pk]), {"kind": BuildKind.DRAFT_DATA})
    build = ReportBuild.objects.get(engagement=engagement, kind=BuildKind.DRAFT_DATA)
    assert build.state == BuildState.DONE, build.message
    archive = _zip_of(client.get(reverse("reports:electronic_data", args=[engagement.pk])))
    names = archive.namelist()
    root = names[0].split("/")[0]
    assert root.startswith("電子データ_区政・スマート区役所推進担当_案_")
    index = load_workbook(io.BytesIO(archive.read(f"{root}/目録.xlsx")))
    sheet = index.worksheets[0]
    assert [c.value for c in sheet[1]] == ["ファイル", "サイズ（バイト）", "SHA-256"]
    listed = {row[0]: (row[1], row[2]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    files = {n[len(root) + 1:] for n in names if not n.endswith("目録.xlsx")}
    assert set(listed) == files
    for name, (size, digest) in listed.items():
        content = archive.read(f"{root}/{name}")
        assert (len(content), hashlib.sha256(content).hexdigest()) == (size, digest)
    # one workbook per stage in Japanese-named folders, the confirmed minutes as PDF
    assert {"01_調査/調査.xlsx", "02_提案/提案.xlsx", "05_打合せ/打合せ.xlsx",
            "06_承認・協議/承認・協議.xlsx"} <= files
    assert any(n.startswith("05_打合せ/議事録/") and n.endswith(".pdf") for n in files)
    survey = load_workbook(io.BytesIO(archive.read(f"{root}/01_調査/調査.xlsx")))
    for title in ("机", "部屋", "什器", "在席状況の観測", "在席率（担当別）",
                  "アンケート回答（個票・識別情報なし）"):
        assert title in survey.sheetnames
        assert survey[title].freeze_panes == "A2"
    rounds = survey["巡回"]
    header = [c.value for c in rounds[1]]
    assert "日付" in header and "日付（和暦）" in header
    first = [c.value for c in rounds[2]]
    assert first[header.index("日付（和暦）")].startswith("令和")
    answers = [c.value for c in survey["アンケート回答（個票・識別情報なし）"][1]]
    assert not any(h in answers for h in ("所属", "担当", "自由記述", "No."))


def test_formula_looking_text_stays_text_in_the_electronic_data(story, tmp_path):
    from reports.electronic_data import write_electronic_data
    from survey.models import Desk

    desk = Desk.objects.filter(engagement=story.engagement).first()
    desk.notes = "=HYPERLINK(\"http://evil\",\"x\")"
    desk.save()
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"%PDF-1.7 test")
    target = tmp_path / "d.zip"
    write_electronic_data(story.engagement, target, pdf_name="報告書.pdf", pdf_path=pdf)
    archive = zipfile.ZipFile(target)
    name = next(n for n in archive.namelist() if n.endswith("調査.xlsx"))
    sheet = load_workbook(io.BytesIO(archive.read(name)))["机"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == desk.notes]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.fixture
def version(engagement, contractor):
    version = ReportVersion(engagement=engagement, number=1, issued_on=engagement.contract_end,
                            pdf_sha256="0" * 64, submitted_by=contractor)
    version.pdf.save("v1.pdf", ContentFile(b"%PDF-1.7"), save=False)
    version.save()
    ReportVersionStatusChange.objects.create(version=version, old_status="",
                                             new_status=VersionStatus.SUBMITTED,
                                             actor=contractor)
    return version


@pytest.mark.parametrize("target,comment", [(VersionStatus.ACCEPTED, ""),
                                            (VersionStatus.RETURNED, "図3-2を修正すること")])
def test_city_accepts_or_returns_a_submitted_version(version, city_user, target, comment):
    services.version_decide(version=version, target=target, actor=city_user, comment=comment)
    version.refresh_from_db()
    assert version.status == target
    change = version.status_changes.get(new_status=target)
    assert (change.actor, change.comment) == (city_user, comment)


def test_return_needs_a_comment_and_writes_nothing_without_one(version, city_user):
    with pytest.raises(ValidationError):
        services.version_decide(version=version, target=VersionStatus.RETURNED, actor=city_user)
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED
    assert version.status_changes.count() == 1


@pytest.mark.parametrize("source", [VersionStatus.ACCEPTED, VersionStatus.RETURNED])
@pytest.mark.parametrize("target", [VersionStatus.ACCEPTED, VersionStatus.RETURNED,
                                    VersionStatus.SUBMITTED])
def test_a_decided_version_cannot_move(version, city_user, source, target):
    ReportVersion.objects.filter(pk=version.pk).update(status=source)
    version.refresh_from_db()
    with pytest.raises(ValidationError):
        services.version_decide(version=version, target=target, actor=city_user, comment="x")
    assert version.status_changes.count() == 1


def test_only_the_city_decides_and_only_the_contractor_submits(version, contractor, city_user,
                                                               engagement):
    with pytest.raises(PermissionDenied):
        services.version_decide(version=version, target=VersionStatus.ACCEPTED,
                                actor=contractor)
    with pytest.raises(PermissionDenied):
        services.version_submit(engagement=engagement, actor=city_user, acknowledgement="x")


def test_no_new_version_while_one_awaits_the_decision(version, contractor, engagement):
    with pytest.raises(ValidationError, match="第1版"):
        services.version_submit(engagement=engagement, actor=contractor, acknowledgement="x")
    assert not ReportBuild.objects.exists()


def test_open_items_need_an_acknowledgement(engagement, contractor):
    # an empty engagement has open items (no desks in scope, no summary)
    with pytest.raises(ValidationError) as info:
        services.version_submit(engagement=engagement, actor=contractor)
    assert "acknowledgement" in info.value.message_dict
    assert not ReportVersion.objects.exists()


def test_a_failed_build_changes_no_version_and_says_why(engagement, contractor, version,
                                                        monkeypatch):
    from reports import builder

    def broken(*args, **kwargs):
        raise RuntimeError("フォントがない")

    monkeypatch.setattr(builder, "write_report_pdf", broken)
    build = services.build_request(engagement=engagement, kind=BuildKind.DRAFT_PDF,
                                   actor=contractor)
    assert build.state == BuildState.FAILED
    assert "フォントがない" in build.message
    version.refresh_from_db()
    assert (version.status, ReportVersion.objects.count()) == (VersionStatus.SUBMITTED, 1)


def test_report_page_shows_build_progress(client, engagement, contractor):
    ReportBuild.objects.create(engagement=engagement, kind=BuildKind.DRAFT_PDF,
                               state=BuildState.RUNNING, progress=40, step="PDF",
                               requested_by=contractor)
    client.force_login(contractor)
    content = client.get(reverse("reports:builds", args=[engagement.pk])).content.decode()
    assert 'aria-valuenow="40"' in content and "作成中" in content


def test_a_real_db_worker_process_builds_the_draft(tmp_path):
    """The database queue end to end: a web request would enqueue; ``db_worker`` runs it."""
    import os
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "office_reform.settings.local",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
           "DJANGO_MEDIA_ROOT": str(tmp_path / "media"), "DJANGO_DEBUG": "false"}
    manage = [sys.executable, "manage.py"]

    def run(*args):
        result = subprocess.run([*manage, *args], env=env, check=True, capture_output=True,
                                text=True, timeout=600)
        return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""

    run("migrate", "-v0")
    run("shell", "-v0", "-c", (
        "from engagements import demo; from survey import demo as s;"
        "from reports import services; from reports.models import BuildKind;"
        "story = demo.seed(); s.seed(story);"
        "b = services.build_request(engagement=story.engagement, kind=BuildKind.DRAFT_PDF,"
        " actor=story.contractor); print(b.state)"))
    queued = run("shell", "-v0", "-c", "from reports.models import ReportBuild;"
                 "print(ReportBuild.objects.get().state)")
    assert queued == "queued"  # nothing ran in the request
    run("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    done = run("shell", "-v0", "-c", (
        "from reports.models import ReportBuild; b = ReportBuild.objects.get();"
        "print(b.state, b.progress, b.file.read(5))"))
    assert done == "done 100 b'%PDF-'"


def test_settings_page_sets_scope_and_baseline_with_history(client, story):
    from survey.designation import baseline_study

    engagement = story.engagement
    study = baseline_study(engagement)
    client.force_login(story.city)
    url = reverse("reports:settings", args=[engagement.pk])
    response = client.post(url, {
        "addressee": "京都市長 門川 様", "subtitle": "～スマート区役所の推進～",
        "contractor_address": "京都市", "baseline_study": study.pk,
        "scope_sections": [story.site.pk],
    }, follow=True)
    assert response.status_code == 200
    assert "報告書の設定を保存しました。" in response.content.decode()
    engagement.refresh_from_db()
    assert (engagement.addressee, engagement.baseline_study) == ("京都市長 門川 様", study)
    assert list(engagement.scope_sections.all()) == [story.site]
    assert engagement.history.first().history_user == story.city


def test_settings_refuse_the_same_study_before_and_after(client, story):
    from survey.designation import baseline_study

    engagement = story.engagement
    study = baseline_study(engagement)
    client.force_login(story.contractor)
    response = client.post(reverse("reports:settings", args=[engagement.pk]), {
        "addressee": "京都市長 様", "baseline_study": study.pk, "followup_study": study.pk})
    assert response.status_code == 200
    assert "同じ調査を改革前と改革後の両方に指定することはできません。" in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.baseline_study is None


def test_texts_page_saves_the_contractors_text_and_refuses_the_city(client, story):
    from reports.models import ReportText

    engagement = story.engagement
    url = reverse("reports:texts", args=[engagement.pk])
    client.force_login(story.city)
    assert client.post(url, {"summary-chapter": "summary",
                             "summary-findings": "x"}).status_code == 403
    client.force_login(story.contractor)
    response = client.post(url, {"summary-chapter": "summary",
                                 "summary-findings": "本業務のまとめである。"}, follow=True)
    assert "報告書の本文を保存しました。" in response.content.decode()
    text = ReportText.objects.get(engagement=engagement, chapter="summary")
    assert text.findings == "本業務のまとめである。"
    assert text.history.get().history_user == story.contractor


def test_download_names_are_japanese_with_an_ascii_fallback(engagement):
    from engagements.downloads import content_disposition
    from reports.naming import report_filename, zip_filename

    version = ReportVersion(number=2, issued_on=engagement.contract_end)
    name = report_filename(engagement, version=version)
    assert name == "報告書_テスト案件_担当_第2版_20270319.pdf"
    assert zip_filename(engagement, version=version).startswith("電子データ_テスト案件_担当_")
    header = content_disposition(name, report_filename(engagement, version=version, ascii=True))
    assert header.startswith(f'attachment; filename="report_{engagement.pk}_v2_20270319.pdf"; ')
    assert "filename*=UTF-8''%E5%A0%B1" in header


def test_city_accepts_on_the_report_page(client, version, city_user, engagement):
    client.force_login(city_user)
    response = client.post(reverse("reports:version_decide", args=[engagement.pk, 1]),
                           {"target": VersionStatus.ACCEPTED}, follow=True)
    assert "第1版：受理。" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.ACCEPTED


def test_returning_without_a_comment_says_why_and_changes_nothing(client, version, city_user,
                                                                   engagement):
    client.force_login(city_user)
    response = client.post(reverse("reports:version_decide", args=[engagement.pk, 1]),
                           {"target": VersionStatus.RETURNED, "comment": ""}, follow=True)
    assert "理由" in response.content.decode() or "コメント" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED


def test_contractor_cannot_decide_on_the_page(client, version, contractor, engagement):
    client.force_login(contractor)
    response = client.post(reverse("reports:version_decide", args=[engagement.pk, 1]),
                           {"target": VersionStatus.ACCEPTED})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED


def test_draft_download_without_a_build_leads_to_the_report_page(client, city_user,
                                                                  engagement):
    client.force_login(city_user)
    response = client.get(reverse("reports:report_pdf", args=[engagement.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:index", args=[engagement.pk])


def test_survey_workbook_choice_sheet_has_japanese_headers_and_no_none(engagement):
    from survey.excel import LIST_SHEET, template_workbook

    with translation.override("ja"):
        workbook = load_workbook(io.BytesIO(template_workbook(engagement)))
    lists = workbook[LIST_SHEET]
    assert lists.sheet_state == "hidden"
    headers = [c.value for c in lists[1] if c.value]
    # each list is headed by the (Japanese) header of a column it serves
    column_headers = {c.value for ws in workbook.worksheets if ws.title != LIST_SHEET
                      for c in ws[1]}
    assert headers and set(headers) <= column_headers, headers
    assert not {"floor", "section", "bool", "UserRole", "DeskType"} & set(headers)
    values = [c.value for row in lists.iter_rows(min_row=2) for c in row if c.value]
    assert "None" not in values
