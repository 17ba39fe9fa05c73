import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils._os import safe_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from .files import engagement_pk_of
from .history import history_entries
from .permissions import Action, role_can
from .selectors import engagement_list_for_user, membership_get_for_user, organisation_tree
from .stages import STAGES, stage_overview


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
        context["stages"] = stage_overview(self.engagement)
        context["other_engagement_count"] = (
            engagement_list_for_user(user=self.request.user).exclude(pk=self.engagement.pk).count()
        )
        return context


class EngagementDetailView(EngagementMixin, TemplateView):
    """The engagement's facts, its organisation chart, members and history."""

    template_name = "engagements/engagement_detail.html"
    crumb = _("Engagement details")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["org_tree"] = organisation_tree(root=self.engagement.client)
        context["memberships"] = self.engagement.memberships.select_related("user", "organisation")
        context["history"] = history_entries(self.engagement)
        return context


class ProtectedMediaView(LoginRequiredMixin, View):
    """Serves an uploaded file to the members of the engagement it belongs to; 404 otherwise."""

    def get(self, request, path: str):
        engagement_pk = engagement_pk_of(path)
        if engagement_pk is None:
            raise Http404
        membership_get_for_user(user=request.user, engagement_pk=engagement_pk)
        try:
            full_path = Path(safe_join(settings.MEDIA_ROOT, path))
        except Exception as exc:  # SuspiciousFileOperation for ../ tricks
            raise Http404 from exc
        if not full_path.is_file():
            raise Http404
        content_type, _encoding = mimetypes.guess_type(full_path.name)
        response = FileResponse(
            full_path.open("rb"), content_type=content_type or "application/octet-stream"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=3600"
        return response
