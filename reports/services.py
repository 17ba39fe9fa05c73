"""Writes of the report: its settings, the contractor's text, builds, versions and decisions.

A build runs as a task (``reports.tasks.run_build``) in the worker (``manage.py db_worker``);
tests run it at once. A failed build leaves every version untouched and records why.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from engagements.concurrency import check_version
from engagements.models import Engagement
from engagements.permissions import Action, require_member
from engagements.services import save_checked, set_history_actor

from .models import (
    BuildKind,
    BuildState,
    ReportBuild,
    ReportText,
    ReportVersion,
    ReportVersionStatusChange,
    VersionStatus,
)
from .workflows import VERSION_WORKFLOW

logger = logging.getLogger(__name__)

SETTINGS_FIELDS = ("addressee", "subtitle", "contractor_address", "baseline_study",
                   "followup_study", "baseline_wave", "followup_wave")


@transaction.atomic
def report_settings_update(*, engagement: Engagement, values: dict, scope_sections, actor,
                           version: int | None = None) -> Engagement:
    """The report's cover and scope, and which studies count as before and after.

    One history row with every change (the scope's sections named in it). ``version`` (the
    engagement's when the form was opened) refuses a stale edit."""
    require_member(actor, engagement, Action.CONFIGURE_REPORT)
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    check_version(locked, version, fields=[n for n in SETTINGS_FIELDS if n in values])
    for name in SETTINGS_FIELDS:
        if name in values:
            setattr(locked, name, values[name])
    locked.bump_version()
    save_checked(locked, actor=actor)
    if scope_sections is not None:
        locked.scope_sections.set(scope_sections)
    return locked


@transaction.atomic
def report_text_save(*, engagement: Engagement, chapter: str, findings: str, discussion: str,
                     actor, version: int | None = None) -> ReportText:
    """The contractor's 所見・考察 of one chapter (or まとめ / 課題と今後), with history.

    ``version``: the text's version when the form was opened (0: there was none); a save
    from a form opened before somebody else's is refused (``StaleEdit``)."""
    require_member(actor, engagement, Action.SUBMIT_REPORT)
    text = (ReportText.objects.select_for_update().filter(engagement=engagement, chapter=chapter)
            .first() or ReportText(engagement=engagement, chapter=chapter))
    check_version(text, version, fields=["findings", "discussion"])
    text.bump_version()  # a new text starts at 1: a form that saw none (0) is then stale
    text.findings, text.discussion = findings.strip(), discussion.strip()
    set_history_actor(text, actor)
    save_checked(text, actor=actor)
    return text


def build_request(*, engagement: Engagement, kind: str, actor, version: ReportVersion | None = None,
                  acknowledgement: str = "") -> ReportBuild:
    """Queue a build; the worker runs it. A second request while one of the same kind is
    waiting or running returns that one."""
    require_member(actor, engagement, Action.SUBMIT_REPORT if kind == BuildKind.VERSION
                   else Action.EXPORT_REPORT)
    with transaction.atomic():
        Engagement.objects.select_for_update().get(pk=engagement.pk)
        running = ReportBuild.objects.filter(
            engagement=engagement, kind=kind, version=version,
            state__in=[BuildState.QUEUED, BuildState.RUNNING]).first()
        if running is not None:
            return running
        build = ReportBuild.objects.create(engagement=engagement, kind=kind, version=version,
                                           requested_by=actor,
                                           acknowledgement=acknowledgement.strip())
    from .tasks import run_build

    result = run_build.enqueue(build.pk)
    ReportBuild.objects.filter(pk=build.pk, task_id="").update(task_id=str(result.id))
    build.refresh_from_db()
    return build


def version_submit(*, engagement: Engagement, actor, acknowledgement: str = "") -> ReportBuild:
    """提出: queue the build of the next version. Refused while a version awaits the city's
    decision, and when the check has open items and no acknowledgement is written."""
    from .checks import open_items, pre_submission_check

    require_member(actor, engagement, Action.SUBMIT_REPORT)
    waiting = ReportVersion.objects.filter(engagement=engagement,
                                           status=VersionStatus.SUBMITTED).first()
    if waiting is not None:
        raise ValidationError(_("Version %(n)s awaits the city's decision: a new version can "
                                "be submitted once it is accepted or returned.")
                              % {"n": waiting.number})
    if open_items(pre_submission_check(engagement)) and not acknowledgement.strip():
        raise ValidationError({"acknowledgement": _(
            "The pre-submission check has open items: write why the version is submitted "
            "with them. They are printed in the report as open items.")})
    return build_request(engagement=engagement, kind=BuildKind.VERSION, actor=actor,
                         acknowledgement=acknowledgement)


def version_decide(*, version: ReportVersion, target: str, actor, comment: str = ""
                   ) -> ReportVersion:
    """受理 (accept) or 差戻し (return with comments) by the city."""
    require_member(actor, version.engagement, Action.DECIDE_REPORT)
    return VERSION_WORKFLOW.apply(version, target, actor=actor, comment=comment)


# --- Running a build (in the worker) -------------------------------------------------------------


def _progress(build_pk: int):
    def report(percent: int, step: str) -> None:
        ReportBuild.objects.filter(pk=build_pk).update(progress=percent, step=str(step)[:200])
    return report


def _sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def run_build(build_pk: int) -> None:
    """Run one build: render, store through the default storage, record the result."""
    build = ReportBuild.objects.select_related("engagement", "requested_by").get(pk=build_pk)
    if build.state not in (BuildState.QUEUED, BuildState.RUNNING):
        return
    ReportBuild.objects.filter(pk=build.pk).update(state=BuildState.RUNNING, progress=1,
                                                   step=_("Starting"))
    progress = _progress(build.pk)
    tmp = tempfile.mkdtemp(prefix="report_build_")
    try:
        with translation.override("ja"):
            if build.kind == BuildKind.DRAFT_PDF:
                _build_draft_pdf(build, tmp, progress)
            elif build.kind == BuildKind.DRAFT_DATA:
                _build_draft_data(build, tmp, progress)
            elif build.kind == BuildKind.VERSION:
                _build_version(build, tmp, progress)
            elif build.kind == BuildKind.VERSION_DATA:
                _build_version_data(build, tmp, progress)
        ReportBuild.objects.filter(pk=build.pk).update(
            state=BuildState.DONE, progress=100, step=_("Done"),
            finished_at=timezone.now())
    except Exception as exc:  # a failed build says why and changes no version
        logger.exception("Report build %s failed", build.pk)
        ReportBuild.objects.filter(pk=build.pk).update(
            state=BuildState.FAILED, finished_at=timezone.now(),
            message=f"{type(exc).__name__}: {exc}"[:2000])
    finally:
        for name in os.listdir(tmp):
            os.remove(os.path.join(tmp, name))
        os.rmdir(tmp)


def _store_build_file(build: ReportBuild, path: str, name: str) -> None:
    with open(path, "rb") as stream:
        build.file.save(name, File(stream), save=False)
    ReportBuild.objects.filter(pk=build.pk).update(file=build.file.name)


def _build_draft_pdf(build, tmp, progress) -> None:
    from .builder import Edition, write_report_pdf
    from .checks import open_items, pre_submission_check
    from .naming import report_filename

    path = os.path.join(tmp, "report.pdf")
    edition = Edition(open_items=[i.as_dict() for i in open_items(
        pre_submission_check(build.engagement))])
    write_report_pdf(build.engagement, path, edition=edition, progress=progress)
    progress(90, _("Storing"))
    _store_build_file(build, path, report_filename(build.engagement, draft=True, ascii=True))


def _build_draft_data(build, tmp, progress) -> None:
    from .builder import Edition, write_report_pdf
    from .electronic_data import write_electronic_data
    from .naming import report_filename, zip_filename

    pdf_path = os.path.join(tmp, "report.pdf")
    write_report_pdf(build.engagement, pdf_path, edition=Edition(),
                     progress=lambda p, s: progress(p // 4, s))
    zip_path = os.path.join(tmp, "data.zip")
    write_electronic_data(build.engagement, zip_path, pdf_path=pdf_path, progress=progress,
                          pdf_name=report_filename(build.engagement, draft=True),
                          root=zip_filename(build.engagement, draft=True)[:-4])
    progress(97, _("Storing"))
    _store_build_file(build, zip_path, zip_filename(build.engagement, draft=True, ascii=True))


def _build_version(build, tmp, progress) -> None:
    """The PDF of the next version, built once and stored with its 版, date, SHA-256 and
    check results; then its ZIP, holding exactly those PDF bytes."""
    from .builder import Edition, write_report_pdf
    from .checks import pre_submission_check

    engagement = build.engagement
    number = (ReportVersion.objects.filter(engagement=engagement).aggregate(
        n=Max("number"))["n"] or 0) + 1
    checks = [item.as_dict() for item in pre_submission_check(engagement)]
    edition = Edition(number=number, issued_on=timezone.localdate(),
                      open_items=[c for c in checks if not c["ok"]],
                      acknowledgement=build.acknowledgement)
    pdf_path = os.path.join(tmp, "report.pdf")
    write_report_pdf(engagement, pdf_path, edition=edition,
                     progress=lambda p, s: progress(p // 2, s))
    progress(55, _("Storing"))
    from .naming import report_filename

    with transaction.atomic():
        Engagement.objects.select_for_update().get(pk=engagement.pk)
        if ReportVersion.objects.filter(engagement=engagement, number=number).exists():
            raise ValidationError(_("Version %(n)s was submitted meanwhile.") % {"n": number})
        version = ReportVersion(
            engagement=engagement, number=number, issued_on=edition.issued_on,
            pdf_sha256=_sha256(pdf_path), pdf_size=os.path.getsize(pdf_path), checks=checks,
            acknowledgement=build.acknowledgement, submitted_by=build.requested_by)
        with open(pdf_path, "rb") as stream:
            version.pdf.save(report_filename(engagement, version=version, ascii=True),
                             File(stream), save=False)
        set_history_actor(version, build.requested_by)
        version.save()
        ReportVersionStatusChange.objects.create(
            version=version, old_status="", new_status=VersionStatus.SUBMITTED,
            actor=build.requested_by, comment=build.acknowledgement)
        ReportBuild.objects.filter(pk=build.pk).update(version=version)
    build.version = version
    _build_version_data(build, tmp, lambda p, s: progress(55 + p * 45 // 100, s))


def _build_version_data(build, tmp, progress) -> None:
    """The ZIP of a version: its stored PDF (the same bytes), never a rebuild."""
    from .electronic_data import write_electronic_data
    from .naming import report_filename, zip_filename

    version = build.version
    zip_path = os.path.join(tmp, "data.zip")
    write_electronic_data(version.engagement, zip_path, pdf_stored=version.pdf.name,
                          pdf_name=report_filename(version.engagement, version=version),
                          root=zip_filename(version.engagement, version=version)[:-4],
                          progress=progress)
    with open(zip_path, "rb") as stream:
        version.data_zip.save(zip_filename(version.engagement, version=version, ascii=True),
                              File(stream), save=False)
    ReportVersion.objects.filter(pk=version.pk).update(data_zip=version.data_zip.name,
                                                       data_sha256=_sha256(zip_path))
