from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from engagements.downloads import file_response
from engagements.permissions import Action
from engagements.views import EngagementMixin
from engagements.workflow import status_history

from . import services
from .chapters import CHAPTERS, numbered_chapters
from .checks import open_items, pre_submission_check
from .forms import DecideForm, ReportSettingsForm, ReportTextForm, SubmitForm
from .models import BuildKind, BuildState, ReportBuild, ReportText, ReportVersion
from .naming import report_filename, zip_filename
from .selectors import latest_builds


def _index(engagement) -> str:
    return reverse("reports:index", kwargs={"engagement_pk": engagement.pk})


class StageIndexView(EngagementMixin, TemplateView):
    """The report page: the pre-submission check, the draft builds with their progress, the
    versions with their history, and the contractor's submission and the city's decision."""

    template_name = "reports/index.html"
    stage = "reports"

    def get_context_data(self, **kwargs):
        checks = pre_submission_check(self.engagement)
        versions = list(ReportVersion.objects.filter(engagement=self.engagement)
                        .prefetch_related("status_changes__actor").order_by("-number"))
        for version in versions:
            version.status_history = status_history(version)  # the prefetched rows
        return super().get_context_data(
            chapters=numbered_chapters(), checks=checks, open_count=len(open_items(checks)),
            builds=(builds := latest_builds(self.engagement)),
            builds_active=any(b.active for b in builds.values()), versions=versions,
            submit_form=SubmitForm(), decide_form=DecideForm(),
            can_submit=self.can(Action.SUBMIT_REPORT), can_decide=self.can(Action.DECIDE_REPORT),
            can_configure=self.can(Action.CONFIGURE_REPORT),
            waiting=next((v for v in versions if v.status == "submitted"), None),
            **kwargs)


class BuildStatusView(EngagementMixin, TemplateView):
    """The builds' progress (polled by the page every two seconds while one is running)."""

    template_name = "reports/_builds.html"

    def get_context_data(self, **kwargs):
        builds = latest_builds(self.engagement)
        return super().get_context_data(
            builds=builds, builds_active=any(b.active for b in builds.values()), **kwargs)


class BuildRequestView(EngagementMixin, View):
    required_action = Action.EXPORT_REPORT

    def post(self, request, *args, **kwargs):
        kind = request.POST.get("kind")
        if kind not in (BuildKind.DRAFT_PDF, BuildKind.DRAFT_DATA):
            raise Http404
        build = services.build_request(engagement=self.engagement, kind=kind,
                                       actor=request.user)
        if build.state == BuildState.FAILED:
            messages.error(request, _("The build failed: %(why)s") % {"why": build.message})
        elif build.state == BuildState.DONE:
            messages.success(request, _("Built: download it below."))
        else:
            messages.info(request, _("Building in the background; this page shows its "
                                     "progress."))
        return redirect(_index(self.engagement))


def _file_response(field_file, name: str, fallback: str, content_type: str) -> FileResponse:
    if not field_file or not default_storage.exists(field_file.name):
        raise Http404
    return file_response(default_storage.open(field_file.name, "rb"), filename=name,
                         fallback=fallback, content_type=content_type)


class BuildDownloadView(EngagementMixin, View):
    required_action = Action.EXPORT_REPORT

    def get(self, request, *args, **kwargs):
        build = get_object_or_404(ReportBuild, engagement=self.engagement, pk=kwargs["pk"],
                                  state=BuildState.DONE)
        return _build_response(self.engagement, build)


def _build_response(engagement, build):
    day = timezone.localtime(build.requested_at).date()
    if build.kind == BuildKind.DRAFT_PDF:
        return _file_response(build.file, report_filename(engagement, draft=True, day=day),
                              report_filename(engagement, draft=True, ascii=True, day=day),
                              "application/pdf")
    return _file_response(build.file, zip_filename(engagement, draft=True, day=day),
                          zip_filename(engagement, draft=True, ascii=True, day=day),
                          "application/zip")


class ReportDownloadView(EngagementMixin, View):
    """The latest draft PDF built; with none yet, the report page (where it is built)."""

    required_action = Action.EXPORT_REPORT
    kind = BuildKind.DRAFT_PDF

    def get(self, request, *args, **kwargs):
        build = (ReportBuild.objects.filter(engagement=self.engagement, kind=self.kind,
                                            state=BuildState.DONE)
                 .order_by("-requested_at", "-pk").first())
        if build is None:
            messages.info(request, _("No draft has been built yet: build it here."))
            return redirect(_index(self.engagement))
        return _build_response(self.engagement, build)


class ElectronicDataDownloadView(ReportDownloadView):
    kind = BuildKind.DRAFT_DATA


class VersionDownloadView(EngagementMixin, View):
    """A version's stored PDF or ZIP: the same bytes on every download."""

    required_action = Action.EXPORT_REPORT

    def get(self, request, *args, **kwargs):
        version = get_object_or_404(ReportVersion, engagement=self.engagement,
                                    number=kwargs["number"])
        if kwargs["what"] == "pdf":
            return _file_response(version.pdf, report_filename(self.engagement, version=version),
                                  report_filename(self.engagement, version=version, ascii=True),
                                  "application/pdf")
        return _file_response(version.data_zip, zip_filename(self.engagement, version=version),
                              zip_filename(self.engagement, version=version, ascii=True),
                              "application/zip")


class VersionSubmitView(EngagementMixin, View):
    required_action = Action.SUBMIT_REPORT

    def post(self, request, *args, **kwargs):
        form = SubmitForm(request.POST)
        form.is_valid()
        try:
            build = services.version_submit(
                engagement=self.engagement, actor=request.user,
                acknowledgement=form.cleaned_data.get("acknowledgement", ""))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(_index(self.engagement) + "#submit")
        if build.state == BuildState.FAILED:
            messages.error(request, _("The version could not be built: %(why)s. No version "
                                      "was changed.") % {"why": build.message})
        elif build.state == BuildState.DONE:
            messages.success(request, _("Version %(n)s submitted.") % {
                "n": build.version.number if build.version else ""})
        else:
            messages.info(request, _("The version is being built; it is submitted when the "
                                     "build ends."))
        return redirect(_index(self.engagement))


class VersionDecideView(EngagementMixin, View):
    required_action = Action.DECIDE_REPORT

    def post(self, request, *args, **kwargs):
        version = get_object_or_404(ReportVersion, engagement=self.engagement,
                                    number=kwargs["number"])
        form = DecideForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose accept or return."))
            return redirect(_index(self.engagement))
        try:
            services.version_decide(version=version, target=form.cleaned_data["target"],
                                    actor=request.user, comment=form.cleaned_data["comment"])
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                messages.error(request, message)
        else:
            version.refresh_from_db()
            messages.success(request, _("Version %(n)s: %(status)s.") % {
                "n": version.number, "status": version.get_status_display()})
        return redirect(_index(self.engagement))


class SettingsView(EngagementMixin, FormView):
    """The report's cover, scope and baseline studies."""

    template_name = "reports/settings.html"
    form_class = ReportSettingsForm
    required_action = Action.CONFIGURE_REPORT
    stage = "reports"
    crumb = gettext_lazy("Cover, scope and baseline")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.engagement}

    def form_valid(self, form):
        values = {name: form.cleaned_data[name] for name in services.SETTINGS_FIELDS}
        try:
            services.report_settings_update(engagement=self.engagement, values=values,
                                            scope_sections=form.cleaned_data["scope_sections"],
                                            actor=self.request.user,
                                            version=form.cleaned_data.get("version"))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("The report settings were saved."))
        return redirect(_index(self.engagement))


def text_chapters() -> list[tuple[str, str]]:
    """The chapters the contractor writes for: every chapter, then まとめ and 課題と今後."""
    rows = [(c.key, str(c.title)) for c in CHAPTERS if c.key not in ("summary", "materials")]
    return rows + [("summary", _("Summary")), ("future", _("Issues and next steps"))]


class TextsView(EngagementMixin, TemplateView):
    """The contractor's 所見・考察 per chapter, and the まとめ and 課題と今後."""

    template_name = "reports/texts.html"
    stage = "reports"
    crumb = gettext_lazy("Findings and summary text")

    def get_context_data(self, **kwargs):
        texts = {t.chapter: t for t in ReportText.objects.filter(engagement=self.engagement)}
        forms = kwargs.pop("forms", None) or [
            (key, title, ReportTextForm(prefix=key, version=getattr(texts.get(key), "version", 0),
                                        initial={
                "findings": getattr(texts.get(key), "findings", ""),
                "discussion": getattr(texts.get(key), "discussion", "")}))
            for key, title in text_chapters()
        ]
        return super().get_context_data(forms=forms, can_edit=self.can(Action.SUBMIT_REPORT),
                                         **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.can(Action.SUBMIT_REPORT):
            raise PermissionDenied(_("Your role in this engagement does not allow this action."))
        forms = [(key, title, ReportTextForm(request.POST, prefix=key))
                 for key, title in text_chapters()]
        if not all(form.is_valid() for _k, _t, form in forms):
            return self.render_to_response(self.get_context_data(forms=forms))
        try:
            with transaction.atomic():  # every chapter or none
                for key, _title, form in forms:
                    self._save(key, form)
        except ValidationError as exc:
            form = next(f for k, _t, f in forms if k == exc.chapter)
            form.add_error(None, exc.messages)
            return self.render_to_response(self.get_context_data(forms=forms))
        messages.success(request, _("The report text was saved."))
        return redirect(_index(self.engagement))

    def _save(self, key: str, form) -> None:
        """Save one chapter's text unless it is unchanged (refusals name the chapter)."""
        existing = ReportText.objects.filter(engagement=self.engagement, chapter=key).first()
        findings, discussion = form.cleaned_data["findings"], form.cleaned_data["discussion"]
        if existing is None and not (findings or discussion):
            return
        if existing is not None and (existing.findings, existing.discussion) == (
                findings.strip(), discussion.strip()):
            return
        try:
            services.report_text_save(engagement=self.engagement, chapter=key,
                                      findings=findings, discussion=discussion,
                                      actor=self.request.user,
                                      version=form.cleaned_data.get("version"))
        except ValidationError as exc:
            exc.chapter = key
            raise
