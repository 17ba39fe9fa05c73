import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from . import services
from .downloads import file_response
from .files import engagement_pk_of
from .forms import MemberAddForm, MemberCreateForm, MemberRoleForm, add_service_errors
from .fragments import cached_fragment
from .history import history_entries, person_name
from .images import original_candidates
from .input_guard import as_id
from .models import Membership
from .permissions import Action, role_can
from .progress import stored_stage_overview
from .selectors import (
    engagement_list_for_user,
    membership_get_for_user,
    organisation_tree,
    other_engagement_count,
)
from .stages import STAGES
from .uploads import INLINE_MIME, sniff


def safe_return_url(request, default: str, *candidates) -> str:
    """The first of ``candidates`` (default: ``next`` from POST, then GET) that is a page of
    this site, else ``default``.

    Only an absolute path ("/...") on this host that ``django.urls.resolve`` knows is followed:
    never another site (NetBox's ``GetReturnURLMixin``), and never a word that ``redirect()``
    would take for a URL name and fail on after the change has been committed.
    """
    if not candidates:
        candidates = (request.POST.get("next"), request.GET.get("next"))
    for candidate in candidates:
        if _is_return_path(request, candidate):
            return candidate
    return default


def _is_return_path(request, candidate) -> bool:
    if not isinstance(candidate, str) or not candidate.startswith("/") or len(candidate) > 2000:
        return False
    if candidate.startswith("//") or any(c < " " or c in "\\\x7f" for c in candidate):
        return False
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return False
    try:
        resolve(unquote(urlsplit(candidate).path))
    except (Resolver404, ValueError):
        return False
    return True


def posted_id(value) -> int:
    """An object id read from a query string or a form (``request.POST.get("membership")``)
    as an integer; anything else (text, a huge number, nothing) is a 404, never a 500."""
    result = as_id(value)
    if result is None:
        raise Http404
    return result


@dataclass(frozen=True)
class Crumb:
    """One step of the breadcrumbs; the current page has no ``url``."""

    label: str
    url: str = ""


class EngagementMixin(LoginRequiredMixin):
    """Base of every view inside an engagement.

    Loads the engagement from ``engagement_pk`` for its members only (404 for anyone else)
    and refuses members whose role lacks ``required_action`` (403). Subclasses scope their
    querysets with ``self.engagement``, so another engagement's objects answer 404.
    """

    required_action: Action = Action.VIEW
    stage: str = ""
    # This page in the breadcrumbs ("" on a stage's start page, which the stage names).
    crumb: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = membership_get_for_user(
            user=request.user, engagement_pk=kwargs["engagement_pk"]
        )
        self.engagement = self.membership.engagement
        if request.method in {"GET", "HEAD"}:  # a write makes a new generation
            self.engagement.generation_at_request = self.membership.engagement_generation
        self.role = self.membership.role
        if not self.can(self.get_required_action()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_return_url(self, default: str = "") -> str:
        """The caller-given ``next`` (POST, then GET) if it is a page of this site, else
        ``default`` (``safe_return_url``)."""
        return safe_return_url(
            self.request, default or reverse("engagements:dashboard", args=[self.engagement.pk]))

    def get_required_action(self) -> Action:
        return self.required_action

    # --- Breadcrumbs: Engagements › the engagement (base.html) › stage › parents › page -----
    def engagement_url(self, name: str, *args) -> str:
        return reverse(name, args=[self.engagement.pk, *args])

    def get_crumb(self, context: dict) -> str:
        """This page's label (``crumb``); override for one naming an object."""
        return str(self.crumb)

    def get_parent_crumbs(self, context: dict) -> list[Crumb]:
        """The pages between the stage's start page and this one."""
        return []

    def get_breadcrumbs(self, context: dict) -> list[Crumb]:
        crumbs = []
        title = self.get_crumb(context)
        stage = STAGES.get(self.stage)
        if stage is not None:
            crumbs.append(Crumb(stage.label, self.engagement_url(stage.url_name) if title else ""))
        crumbs += self.get_parent_crumbs(context)
        if title:
            crumbs.append(Crumb(title))
        return crumbs

    def render_to_response(self, context, **response_kwargs):
        context.setdefault("breadcrumbs", self.get_breadcrumbs(context))
        return super().render_to_response(context, **response_kwargs)

    def can(self, action: Action) -> bool:
        return role_can(self.role, action)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            engagement=self.engagement,
            membership=self.membership,
            role=self.role,
            perms_in_engagement={a.value for a in Action if self.can(a)},
            current_stage=self.stage,
        )
        return context


class EngagementListView(LoginRequiredMixin, ListView):
    template_name = "engagements/engagement_list.html"
    context_object_name = "engagements"

    def get_queryset(self):
        return engagement_list_for_user(user=self.request.user)


class DashboardView(EngagementMixin, TemplateView):
    template_name = "engagements/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        engagement = self.engagement
        context["stage_cards"] = cached_fragment(
            self.request, engagement, "engagements/includes/stage_cards.html",
            lambda: {"engagement": engagement, "stages": stored_stage_overview(engagement)},
        )
        context["other_engagement_count"] = other_engagement_count(
            user=self.request.user, engagement=engagement)
        return context


class EngagementDetailView(EngagementMixin, TemplateView):
    """The engagement's facts, its organisation chart, members and history."""

    template_name = "engagements/engagement_detail.html"
    crumb = gettext_lazy("Engagement details")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["org_tree"] = organisation_tree(root=self.engagement.client)
        context["memberships"] = self.engagement.memberships.select_related("user", "organisation")
        context["history"] = history_entries(self.engagement)
        return context


class ProtectedMediaView(LoginRequiredMixin, View):
    """Serves an uploaded file to the members of the engagement it belongs to; 404 otherwise.

    The path is normalised first (percent-decoding, backslashes, ``..``), and only then is the
    engagement read from it, so ``engagement_1/../engagement_2/x`` is checked as engagement 2.
    Files are read through the default storage (``STORAGES["default"]``), never from a local
    path, so the same view works with S3-compatible storage. Every response carries
    ``nosniff`` and ``Content-Security-Policy: sandbox``; only images and PDFs whose content
    says so are shown inline, anything else is downloaded.
    """

    def get(self, request, path: str):
        name = normalise_media_path(path)
        engagement_pk = engagement_pk_of(name or "")
        if engagement_pk is None:
            raise Http404
        membership_get_for_user(user=request.user, engagement_pk=engagement_pk,
                                load_engagement=False)
        name = _original_if_no_copy(name)
        try:
            handle = default_storage.open(name, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError, OSError) as exc:
            raise Http404 from exc
        except Exception as exc:
            raise Http404 from exc
        return upload_response(handle, name, download_name=PurePosixPath(name).name)


def _original_if_no_copy(name: str) -> str:
    """A display copy asked for before it exists (still being made, or an older upload) is
    answered with its original, streamed as stored: a request never decodes an image
    (copies are made on upload and by ``manage.py make_display_copies``)."""
    candidates = original_candidates(name)
    if not candidates or default_storage.exists(name):
        return name
    for original in candidates:
        if default_storage.exists(original):
            return original
    return name


def normalise_media_path(path: str) -> str | None:
    """The storage name ``path`` stands for, or ``None`` when it leaves the media folder."""
    previous = None
    for _round in range(3):  # %252e%252e decodes twice
        if previous == path:
            break
        previous, path = path, unquote(path)
    path = path.replace("\\", "/")
    if "\x00" in path or path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return None
    normalised = posixpath.normpath(path)
    if normalised in ("", ".") or normalised.startswith("..") or normalised.startswith("/"):
        return None
    if normalised != path.rstrip("/") or any(part in ("", ".", "..") for part in path.split("/")):
        # Only canonical names are served: no ``a/../b``, ``./``, ``//``.
        return None
    return normalised


def upload_response(handle, name: str, *, download_name: str, fallback: str | None = None,
                    as_attachment: bool = False) -> FileResponse:
    """A response for a user upload: inline only for images and PDFs checked by content."""
    head = handle.read(8192)
    handle.seek(0)
    mime = sniff(head)
    inline = mime in INLINE_MIME and not as_attachment
    response = file_response(
        handle, filename=download_name, fallback=fallback, inline=inline,
        content_type=mime if mime in INLINE_MIME else "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


class MembersView(EngagementMixin, TemplateView):
    """The 管理者's members page: add, create, change role, end (history kept)."""

    template_name = "engagements/members.html"
    required_action = Action.MANAGE_MEMBERS
    crumb = gettext_lazy("Members")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(
            Membership.all_objects.filter(engagement=self.engagement)
            .select_related("user", "organisation")
            .order_by("-is_active", "role", "user__last_name", "user__username")
        )
        for row in rows:
            # Nobody changes their own role: their own row offers no role form.
            row.role_form = (None if row.user_id == self.request.user.pk else
                             MemberRoleForm(initial={"role": row.role}, prefix=f"m{row.pk}",
                                            version=row.version))
        history = []
        for row in rows:
            for entry in history_entries(row, limit=20):
                entry.reason = person_name(row.user)
                history.append(entry)
        history.sort(key=lambda e: e.when, reverse=True)
        context.update(
            active_members=[r for r in rows if r.is_active],
            ended_members=[r for r in rows if not r.is_active],
            add_form=kwargs.get("add_form") or MemberAddForm(prefix="add",
                                                             actor=self.request.user),
            create_form=kwargs.get("create_form") or MemberCreateForm(prefix="new"),
            history=history[:50],
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        forms_in_error = {}
        try:
            if action == "add":
                form = MemberAddForm(request.POST, prefix="add", actor=request.user)
                forms_in_error["add_form"] = form
                if form.is_valid():
                    m = services.membership_add(
                        engagement=self.engagement, user=form.user,
                        role=form.cleaned_data["role"], actor=request.user,
                    )
                    messages.success(request, _("%(name)s was added as %(role)s.") % {
                        "name": person_name(m.user), "role": m.get_role_display()})
                    return redirect(request.path)
            elif action == "create":
                form = MemberCreateForm(request.POST, prefix="new")
                forms_in_error["create_form"] = form
                if form.is_valid():
                    m = services.member_user_create(
                        engagement=self.engagement, actor=request.user, **form.cleaned_data
                    )
                    messages.success(request, _("%(name)s was added as %(role)s.") % {
                        "name": person_name(m.user), "role": m.get_role_display()})
                    return redirect(request.path)
            elif action in ("role", "end"):
                membership = get_object_or_404(
                    Membership, engagement=self.engagement,
                    pk=posted_id(request.POST.get("membership")),
                )
                if action == "role":
                    form = MemberRoleForm(request.POST, prefix=f"m{membership.pk}")
                    if not form.is_valid():
                        raise ValidationError([e for errs in form.errors.values() for e in errs])
                    services.membership_change_role(
                        membership=membership, role=form.cleaned_data["role"],
                        version=form.cleaned_data.get("version"), actor=request.user,
                    )
                    messages.success(request, _("The role of %(name)s was changed.") % {
                        "name": person_name(membership.user)})
                else:
                    services.membership_deactivate(membership=membership, actor=request.user)
                    messages.success(request, _("The membership of %(name)s was ended.") % {
                        "name": person_name(membership.user)})
                return redirect(request.path)
        except ValidationError as exc:
            form = next(iter(forms_in_error.values()), None)
            if form is not None and hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(**forms_in_error), status=200)
