import posixpath
import re
from pathlib import PurePosixPath
from urllib.parse import unquote

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView, TemplateView

from .files import engagement_pk_of
from .history import history_entries
from .images import make_display_copy, original_candidates
from .permissions import Action, role_can
from .selectors import engagement_list_for_user, membership_get_for_user, organisation_tree
from .stages import stage_overview
from .uploads import INLINE_MIME, sniff


class EngagementMixin(LoginRequiredMixin):
    """Base of every view inside an engagement.

    Loads the engagement from ``engagement_pk`` for its members only (404 for anyone else)
    and refuses members whose role lacks ``required_action`` (403). Subclasses scope their
    querysets with ``self.engagement``, so another engagement's objects answer 404.
    """

    required_action: Action = Action.VIEW
    stage: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = membership_get_for_user(
            user=request.user, engagement_pk=kwargs["engagement_pk"]
        )
        self.engagement = self.membership.engagement
        self.role = self.membership.role
        if not self.can(self.get_required_action()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_return_url(self, default: str = "") -> str:
        """The caller-given ``next`` (POST, then GET) if it stays on this site, else ``default``.

        As NetBox's ``GetReturnURLMixin``: only same-host URLs are followed, so ``next`` cannot
        send a user to another site.
        """
        request = self.request
        for candidate in (request.POST.get("next"), request.GET.get("next")):
            if candidate and url_has_allowed_host_and_scheme(
                candidate, allowed_hosts={request.get_host()},
                require_https=request.is_secure(),
            ):
                return candidate
        return default or reverse("engagements:dashboard", args=[self.engagement.pk])

    def get_required_action(self) -> Action:
        return self.required_action

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
        context["stages"] = stage_overview(self.engagement)
        context["other_engagement_count"] = (
            engagement_list_for_user(user=self.request.user).exclude(pk=self.engagement.pk).count()
        )
        return context


class EngagementDetailView(EngagementMixin, TemplateView):
    """The engagement's facts, its organisation chart, members and history."""

    template_name = "engagements/engagement_detail.html"

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
        membership_get_for_user(user=request.user, engagement_pk=engagement_pk)
        _display_copy_on_demand(name)
        try:
            handle = default_storage.open(name, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError, OSError) as exc:
            raise Http404 from exc
        except Exception as exc:
            raise Http404 from exc
        return upload_response(handle, name, download_name=PurePosixPath(name).name)


def _display_copy_on_demand(name: str) -> None:
    """A display copy asked for before it exists (older uploads) is made from its original."""
    candidates = original_candidates(name)
    if not candidates or default_storage.exists(name):
        return
    for original in candidates:
        if default_storage.exists(original):
            try:
                make_display_copy(original)
            except Exception:
                return
            return


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


def upload_response(handle, name: str, *, download_name: str,
                    as_attachment: bool = False) -> FileResponse:
    """A response for a user upload: inline only for images and PDFs checked by content."""
    head = handle.read(8192)
    handle.seek(0)
    mime = sniff(head)
    inline = mime in INLINE_MIME and not as_attachment
    response = FileResponse(
        handle, as_attachment=not inline, filename=download_name,
        content_type=mime if mime in INLINE_MIME else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
