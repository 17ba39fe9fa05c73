"""Proposal pages: thin views over the selectors and services."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from engagements.concurrency import StaleEdit
from engagements.forms import add_service_errors as apply_service_errors
from engagements.fragments import cached_fragment, cached_value
from engagements.history import history_entries
from engagements.input_guard import as_id
from engagements.jsonshape import (
    Bool,
    Int,
    ListOf,
    Nullable,
    Num,
    Obj,
    ShapeError,
    Str,
    parse_json_request,
)
from engagements.permissions import Action
from engagements.views import Crumb, EngagementMixin
from engagements.workflow import status_history
from survey import selectors as survey
from survey.models import Floor

from . import selectors, services
from .choices import AlternativeStatus
from .filtersets import CatalogueFilterSet
from .forms import (
    AlternativeCreateForm,
    AlternativeForm,
    CatalogueItemForm,
    ProposalForm,
    SectionFormSet,
    TransitionForm,
    WorksLineFormSet,
)
from .models import Proposal, ProposalSection, WorksLine
from .workflows import ALTERNATIVE_WORKFLOW


class ProposalMixin(EngagementMixin):
    """A proposals page: reads need VIEW, writes (POST) need ``write_action``."""

    stage = "proposals"
    write_action = Action.EDIT_PROPOSAL

    def get_required_action(self) -> Action:
        if self.request.method == "POST":
            return self.write_action
        return self.required_action

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.can(Action.EDIT_PROPOSAL)
        context["can_decide"] = self.can(Action.DECIDE_PROPOSAL)
        return context

    def get_parent_crumbs(self, context):
        """The proposal, and the alternative below it, when the page is inside them."""
        crumbs = []
        proposal, alternative = context.get("proposal"), context.get("alternative")
        if proposal is not None and self.get_crumb(context) != proposal.title:
            crumbs.append(Crumb(proposal.title, self.engagement_url(
                "proposals:proposal_detail", proposal.pk)))
        if alternative is not None and self.get_crumb(context) != alternative.label:
            crumbs.append(Crumb(alternative.label, self.engagement_url(
                "proposals:alternative_detail", alternative.pk)))
        return crumbs

    def get_proposal(self) -> Proposal:
        return get_object_or_404(
            Proposal.objects.filter(engagement=self.engagement), pk=self.kwargs["pk"]
        )

    def get_alternative(self):
        return get_object_or_404(
            selectors.alternative_queryset(self.engagement), pk=self.kwargs["pk"]
        )


# --- Proposals --------------------------------------------------------------------------------


class StageIndexView(ProposalMixin, FormView):
    template_name = "proposals/index.html"
    form_class = ProposalForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposals"] = selectors.proposal_list(self.engagement)
        context["catalogue_count"] = selectors.catalogue_list(self.engagement,
                                                              active_only=True).count()
        return context

    def form_valid(self, form):
        try:
            values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            proposal = services.proposal_create(
                engagement=self.engagement, actor=self.request.user, **values
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The proposal was created."))
        return redirect("proposals:proposal_detail", self.engagement.pk, proposal.pk)


class ProposalDetailView(ProposalMixin, FormView):
    """The proposal, its alternatives, and the form that starts a new alternative."""

    template_name = "proposals/proposal_detail.html"

    def get_crumb(self, context):
        return context["proposal"].title
    form_class = AlternativeCreateForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.proposal = self.get_proposal()
        kwargs["proposal"] = self.proposal
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposal"] = self.proposal
        context["alternatives"] = self.proposal.alternatives.select_related("based_on")
        context["history"] = history_entries(self.proposal)
        return context

    def form_valid(self, form):
        try:
            alternative = services.alternative_create(
                proposal=self.proposal, label=form.cleaned_data["label"],
                based_on=form.cleaned_data["based_on"], actor=self.request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(label)s was created.") % {"label": alternative.label})
        return redirect("proposals:alternative_detail", self.engagement.pk, alternative.pk)


class ProposalUpdateView(ProposalMixin, FormView):
    template_name = "proposals/proposal_form.html"
    crumb = gettext_lazy("Edit")
    form_class = ProposalForm
    required_action = Action.EDIT_PROPOSAL

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.proposal = self.get_proposal()
        kwargs["instance"] = self.proposal
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposal"] = self.proposal
        return context

    def form_valid(self, form):
        try:
            services.proposal_update(proposal=self.proposal, actor=self.request.user,
                                     title=form.cleaned_data["title"],
                                     summary=form.cleaned_data["summary"],
                                     version=form.cleaned_data.get("version"))
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The proposal was saved."))
        return redirect("proposals:proposal_detail", self.engagement.pk, self.proposal.pk)


class ComparisonView(ProposalMixin, TemplateView):
    """The alternatives side by side with the current layout, differences highlighted."""

    template_name = "proposals/comparison.html"
    crumb = gettext_lazy("Comparison")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = self.get_proposal()
        context["proposal"] = proposal
        context["c"] = selectors.comparison(proposal)
        return context


# --- Alternatives -----------------------------------------------------------------------------


class AlternativeDetailView(ProposalMixin, TemplateView):
    template_name = "proposals/alternative_detail.html"

    def get_crumb(self, context):
        return context["alternative"].label

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pk = self.kwargs["pk"]
        # The page (plans, figures, warnings, work list, workflow, history) is the same HTML
        # until the engagement's data changes (``fragments``); so are the names in the title and
        # the breadcrumbs. Only an alternative of this engagement is ever cached (another's
        # answers 404 when it would be rendered), so a cached page needs no query of its own.
        names = cached_value(self.engagement, "proposals:alternative_names",
                             lambda: self._names(self._alternative(pk)), pk)
        context.update(alternative=names.alternative, proposal=names.proposal)
        context["body"] = cached_fragment(
            self.request, self.engagement, "proposals/includes/alternative_page.html",
            lambda: {**context, **self._body_context(pk)}, pk, self.role,
        )
        return context

    def _alternative(self, pk):
        return get_object_or_404(selectors.alternative_queryset(self.engagement), pk=pk)

    @staticmethod
    def _names(alternative) -> SimpleNamespace:
        proposal = alternative.proposal
        return SimpleNamespace(
            alternative=SimpleNamespace(pk=alternative.pk, label=alternative.label),
            proposal=SimpleNamespace(pk=proposal.pk, title=proposal.title),
        )

    def _body_context(self, pk) -> dict:
        alternative = get_object_or_404(
            selectors.with_layout(selectors.alternative_queryset(self.engagement)), pk=pk)
        base = selectors.baseline(self.engagement)
        view = selectors.alternative_view(alternative, base, selectors.floors_of(self.engagement))
        before = selectors.before_figures(self.engagement, base)
        return {
            "engagement": self.engagement, "alternative": alternative,
            "view": view, "baseline": base,
            "rows": selectors.figure_table([before, view.figures]),
            "headings": [_("Current (survey)"), alternative.label],
            "warnings": selectors.warning_groups(alternative),
            "work_list": selectors.work_list(alternative),
            "status_history": status_history(alternative),
            "history": history_entries(alternative),
            "transitions": ALTERNATIVE_WORKFLOW.available(
                alternative, self.role, check=True,
                url=lambda target: reverse("proposals:alternative_transition",
                                           args=[self.engagement.pk, alternative.pk, target]),
            ),
            "transition_form": TransitionForm(),
        }


class AlternativeUpdateView(ProposalMixin, TemplateView):
    """Label, rationale, minimum aisle, the sections and the works costs, on one page."""

    template_name = "proposals/alternative_form.html"
    crumb = gettext_lazy("Edit")
    required_action = Action.EDIT_PROPOSAL

    def forms(self, data=None):
        alternative = self.alternative
        return (
            AlternativeForm(data, instance=alternative, prefix="alt"),
            SectionFormSet(data, queryset=ProposalSection.objects.filter(
                alternative=alternative), prefix="sections"),
            WorksLineFormSet(data, queryset=WorksLine.objects.filter(
                alternative=alternative), prefix="works"),
        )

    def get(self, request, *args, **kwargs):
        self.alternative = self.get_alternative()
        if not self.alternative.is_editable:
            messages.error(request, _("%(label)s is %(status)s and can no longer be edited.") % {
                "label": self.alternative.label,
                "status": self.alternative.get_status_display()})
            return redirect("proposals:alternative_detail", self.engagement.pk,
                            self.alternative.pk)
        form, sections, works = self.forms()
        return self.render_to_response(self.get_context_data(
            form=form, sections=sections, works=works))

    def post(self, request, *args, **kwargs):
        self.alternative = self.get_alternative()
        form, sections, works = self.forms(request.POST)
        if form.is_valid() and sections.is_valid() and works.is_valid():
            try:
                services.alternative_edit(
                    alternative=self.alternative, values=form.cleaned_data,
                    sections=[f.cleaned_data for f in sections.forms
                              if f.has_changed() and f.cleaned_data],
                    works=[f.cleaned_data for f in works.forms
                           if f.has_changed() and f.cleaned_data],
                    actor=request.user,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("%(label)s was saved.") % {
                    "label": self.alternative.label})
                return redirect("proposals:alternative_detail", self.engagement.pk,
                                self.alternative.pk)
        return self.render_to_response(self.get_context_data(
            form=form, sections=sections, works=works))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alternative"] = self.alternative
        context["proposal"] = self.alternative.proposal
        return context


def editor_text() -> dict:
    """The editor's messages, translated here so that the JS holds no user-facing text."""
    return {
        "nothing": _("Nothing selected."),
        "keep": _("Kept"), "move": _("Moved"), "new": _("New"), "removed": _("Removed"),
        "zone": _("Zone"),
        "cannotCopy": _("Surveyed items cannot be copied; add a new item from the catalogue."),
        "overlap": _("%(a)s and %(b)s overlap."),
        "aisle": _("The aisle between %(a)s and %(b)s is only %(gap)s mm."),
        "none": _("No warnings."),
        "inherited": _("Already in the surveyed layout (items kept where they stand): %(n)s"),
        "saving": _("Saving…"),
        "saved": _("Saved."),
        "unsaved": _("Unsaved changes."),
        "failed": _("The layout was not saved:"),
        "newZone": _("New zone"),
        "selection": _("%(label)s (%(status)s): width %(w)s mm × depth %(d)s mm, "
                       "X %(x)s mm, Y %(y)s mm, turned %(r)s°"),
        "added": _("%(label)s was added at a free spot (X %(x)s mm, Y %(y)s mm) and is "
                   "selected: drag it or move it with the arrow keys."),
    }


def layout_shape(floor: Floor):
    """What the layout editor may post: lists of objects, finite numbers within the floor,
    strings without NUL (``engagements.jsonshape``)."""
    x, y = Num(0, floor.width_mm), Num(0, floor.depth_mm)
    size = Num(0, max(floor.width_mm, floor.depth_mm))
    turn = Num(-3600, 3600)
    item = Obj({
        "id": Nullable(Int()), "source": Nullable(Str(50)), "catalogue": Nullable(Int()),
        "label": Nullable(Str(200)), "x": x, "y": y, "r": turn, "removed": Bool(),
    }, required=frozenset({"x", "y"}), ignore_unknown=True)
    zone = Obj({
        "id": Nullable(Int()), "kind": Str(30), "name": Str(100), "capacity": Num(0, 10_000),
        "x": x, "y": y, "w": size, "d": size, "r": turn,
    }, required=frozenset({"kind", "x", "y", "w", "d"}), ignore_unknown=True)
    return Obj({"version": Nullable(Int()), "items": ListOf(item, 5000),
                "zones": ListOf(zone, 1000)}, required=frozenset({"items", "zones"}))


class AlternativeEditorView(ProposalMixin, TemplateView):
    """The layout editor of one floor; POST (JSON) saves that floor's layout."""

    template_name = "proposals/editor.html"
    crumb = gettext_lazy("Layout")

    def get_floor(self) -> Floor:
        floors = survey.floor_list(self.engagement)
        floor_pk = self.request.GET.get("floor")
        if floor_pk:
            return get_object_or_404(floors, pk=as_id(floor_pk) or 0)
        floor = floors.first()
        if floor is None:
            raise Http404(_("The survey has no floor yet."))
        return floor

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        alternative = self.get_alternative()
        floor = self.get_floor()
        context.update(
            alternative=alternative,
            proposal=alternative.proposal,
            floor=floor,
            floors=survey.floor_list(self.engagement),
            state=selectors.editor_state(alternative, floor),
            warnings=selectors.warning_groups(alternative, floor),
            editable=alternative.is_editable and self.can(Action.EDIT_PROPOSAL),
            js_text=editor_text(),
        )
        return context

    def post(self, request, *args, **kwargs):
        alternative = self.get_alternative()
        floor = self.get_floor()
        try:
            payload = parse_json_request(request, layout_shape(floor))
        except ShapeError as exc:
            return JsonResponse(
                {"ok": False, "errors": [_("The layout could not be read."), str(exc)]},
                status=400,
            )
        items, zones = payload["items"], payload["zones"]
        try:
            warnings = services.layout_save(alternative=alternative, floor=floor, items=items,
                                            zones=zones, actor=request.user,
                                            version=payload.get("version"))
        except StaleEdit as exc:
            return JsonResponse({"ok": False, "errors": exc.messages}, status=409)
        except ValidationError as exc:
            return JsonResponse({"ok": False, "errors": exc.messages}, status=400)
        messages.success(request, _("The layout of %(floor)s was saved.") % {"floor": floor})
        return JsonResponse({"ok": True, "warnings": [w.message for w in warnings]})


class AlternativeTransitionView(ProposalMixin, View):
    """提出 (contractor), 差戻し and 承認 (city staff): the target status is in the URL; one
    service call."""

    http_method_names = ["post"]
    DONE = {
        AlternativeStatus.SUBMITTED: _("%(label)s was submitted to the city."),
        AlternativeStatus.RETURNED: _("%(label)s was returned to the contractor."),
        AlternativeStatus.APPROVED: _(
            "%(label)s was approved; the work lists for procurement and disposal were made."),
    }

    def get_required_action(self) -> Action:
        action = ALTERNATIVE_WORKFLOW.action_for(self.kwargs["target"])
        if action is None:
            raise Http404
        return action

    def post(self, request, *args, **kwargs):
        alternative = self.get_alternative()
        form = TransitionForm(request.POST)
        form.is_valid()
        try:
            alternative = services.alternative_transition(
                alternative=alternative, target=kwargs["target"], actor=request.user,
                comment=form.cleaned_data.get("comment", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.DONE[alternative.status] % {
                "label": alternative.label})
        return redirect("proposals:alternative_detail", self.engagement.pk, alternative.pk)


# --- Catalogue --------------------------------------------------------------------------------


class CatalogueListView(ProposalMixin, TemplateView):
    template_name = "proposals/catalogue_list.html"
    crumb = gettext_lazy("Furniture catalogue")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = CatalogueFilterSet(self.request.GET,
                                       queryset=selectors.catalogue_list(self.engagement))
        context["filter"] = filterset
        context["items"] = filterset.qs
        context["can_edit_catalogue"] = self.can(Action.EDIT_CATALOGUE)
        return context


class CatalogueFormView(ProposalMixin, FormView):
    template_name = "proposals/catalogue_form.html"

    def get_parent_crumbs(self, context):
        return [Crumb(_("Furniture catalogue"), self.engagement_url("proposals:catalogue_list"))]

    def get_crumb(self, context):
        item = context.get("object")
        return item.name if item else _("Add an item")
    form_class = CatalogueItemForm
    required_action = Action.EDIT_CATALOGUE
    write_action = Action.EDIT_CATALOGUE

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.object = (get_object_or_404(selectors.catalogue_list(self.engagement),
                                         pk=self.kwargs["pk"])
                       if "pk" in self.kwargs else None)
        kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        if self.object is not None:
            context["history"] = history_entries(self.object)
        return context

    def form_valid(self, form):
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            item = services.catalogue_item_save(
                engagement=self.engagement, item=self.object, values=values,
                version=form.cleaned_data.get("version"), actor=self.request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s was saved.") % {"name": item.name})
        return redirect("proposals:catalogue_list", self.engagement.pk)
