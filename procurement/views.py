"""Procurement pages: thin views over the selectors and services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from engagements.downloads import file_response
from engagements.forms import add_service_errors as apply_service_errors
from engagements.fragments import cached_fragment
from engagements.history import history_entries
from engagements.permissions import Action
from engagements.views import Crumb, EngagementMixin, as_id, posted_id
from engagements.workflow import status_history

from . import exports, forms, pdf, selectors, services
from .choices import (
    FINDING_BADGES,
    ORDER_BADGES,
    POSITION_BADGES,
    OrderStatus,
    PositionStatus,
)
from .models import Finding, Order, PlanLine, Position, Quote
from .workflows import FINDING_WORKFLOW, ORDER_WORKFLOW

P = PositionStatus


def flash_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class ProcurementMixin(EngagementMixin):
    """A procurement page: reads need VIEW; each POST names its own ``write_action``."""

    stage = "procurement"
    write_action = Action.EDIT_PROCUREMENT

    def get_required_action(self) -> Action:
        return self.write_action if self.request.method == "POST" else self.required_action

    def get_plan(self):
        plan = selectors.plan_get(self.engagement)
        if plan is None:
            raise Http404(_("Procurement has not started."))
        return plan

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            can_edit=self.can(Action.EDIT_PROCUREMENT),
            can_inspect=self.can(Action.INSPECT_DELIVERY),
            can_budget=self.can(Action.SET_PROCUREMENT_BUDGET),
            can_assets=self.can(Action.RECORD_ASSET_NUMBERS),
            position_badges=POSITION_BADGES, order_badges=ORDER_BADGES,
            finding_badges=FINDING_BADGES,
        )
        return context

    def url(self, name: str, *args) -> str:
        return reverse(f"procurement:{name}", args=[self.engagement.pk, *args])


# --- Plan -------------------------------------------------------------------------------------


class StageIndexView(ProcurementMixin, TemplateView):
    template_name = "procurement/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = selectors.plan_get(self.engagement)
        context["plan"] = plan
        if plan is None:
            context["approved"] = selectors.approved_procure_lines(self.engagement)
            return context
        context["overview"] = selectors.plan_overview(plan)
        context["diff"] = selectors.plan_diff(plan)
        context["budget_form"] = kwargs.get("budget_form") or forms.BudgetForm(
            instance=plan, initial={"budget_yen": plan.budget_yen})
        context["states"] = list(P)
        context["overdue"] = selectors.overdue_count(self.engagement)
        context["history"] = history_entries(plan)
        return context


class PlanStartView(ProcurementMixin, View):
    def post(self, request, engagement_pk):
        try:
            services.plan_start(engagement=self.engagement, actor=request.user)
            messages.success(request, _("The procurement plan was made from the approved "
                                        "alternative."))
        except ValidationError as exc:
            flash_errors(request, exc)
        return redirect(self.url("index"))


class PlanAdoptView(ProcurementMixin, View):
    def post(self, request, engagement_pk):
        try:
            services.plan_adopt_changes(plan=self.get_plan(), version=request.POST.get("version"),
                                        actor=request.user)
            messages.success(request, _("The changes of the approved alternative were adopted."))
        except ValidationError as exc:
            flash_errors(request, exc)
        return redirect(self.url("index"))


class BudgetView(ProcurementMixin, View):
    write_action = Action.SET_PROCUREMENT_BUDGET

    def post(self, request, engagement_pk):
        plan = self.get_plan()
        form = forms.BudgetForm(request.POST, instance=plan)
        if form.is_valid():
            try:
                services.plan_budget_set(plan=plan, budget_yen=form.cleaned_data["budget_yen"],
                                         version=form.cleaned_data.get("version"),
                                         actor=request.user)
                messages.success(request, _("The budget was saved."))
                return redirect(self.url("index"))
            except ValidationError as exc:
                apply_service_errors(form, exc)
        view = StageIndexView(request=request, kwargs=self.kwargs)
        view.engagement, view.membership, view.role = self.engagement, self.membership, self.role
        return view.render_to_response(view.get_context_data(budget_form=form), status=400)


class LineUpdateView(ProcurementMixin, View):
    def post(self, request, engagement_pk, pk):
        line = get_object_or_404(PlanLine, engagement=self.engagement, pk=pk)
        form = forms.LineForm(request.POST, instance=line)
        try:
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.line_update(line=line, height_mm=form.cleaned_data["height_mm"],
                                 version=form.cleaned_data.get("version"), actor=request.user)
            messages.success(request, _("%(item)s was saved.") % {"item": line})
        except ValidationError as exc:
            flash_errors(request, exc)
        return redirect(self.get_return_url(self.url("index")))


class PlanView(ProcurementMixin, TemplateView):
    """The floor plan coloured by state and the lines with partial quantities (3 of 5)."""

    template_name = "procurement/plan.html"
    crumb = gettext_lazy("Installation plan")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The drawings, the counts and the forms are the same until the data changes; the plan
        # is read only to render them (no plan yet: 404, and nothing is cached).
        context["body"] = cached_fragment(
            self.request, self.engagement, "procurement/_plan_body.html",
            lambda: self.body_context(context), self.role,
        )
        return context

    def body_context(self, context) -> dict:
        plan = self.get_plan()
        return {**context, "plan": plan, "overview": selectors.plan_overview(plan),
                "drawings": selectors.plan_drawings(
                    plan, list(selectors.positions_for_drawing(plan))),
                "legend": selectors.legend(), "states": list(P)}


class PositionListView(ProcurementMixin, TemplateView):
    """Every unit's position with its state and the actions the member may take."""

    template_name = "procurement/positions.html"
    crumb = gettext_lazy("Positions")

    def get_parent_crumbs(self, context):
        return [Crumb(_("Installation plan"), self.url("plan"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        positions = list(selectors.positions_of(self.get_plan()))
        context.update(
            rows=selectors.position_rows(positions, self.role), legend=selectors.legend(),
            # Row forms post to these, with the position's pk in place of 0.
            transition_url=self.url("position_transition", 0).replace("/0/", "/{}/"),
            order_url=self.url("order_detail", 0).replace("/0/", "/{}/"),
            cabling_url=self.url("position_cabling", 0).replace("/0/", "/{}/"),
        )
        return context


class LineTransitionView(ProcurementMixin, View):
    """Part of a line (``quantity`` units) delivered or installed."""

    def post(self, request, engagement_pk, pk):
        line = get_object_or_404(PlanLine, engagement=self.engagement, pk=pk)
        form = forms.LineQuantityForm(request.POST, engagement=self.engagement)
        try:
            if not form.is_valid():
                raise ValidationError([f"{line}: {e}" for errs in form.errors.values()
                                       for e in errs])
            target = form.cleaned_data["target"]
            done = services.line_transition(
                line=line, target=target, quantity=form.cleaned_data["quantity"],
                installer=form.cleaned_data.get("installer"), actor=request.user)
            messages.success(request, _("%(item)s: %(n)s marked %(state)s.") % {
                "item": line, "n": len(done), "state": dict(P.choices)[target]})
        except ValidationError as exc:
            flash_errors(request, exc)
        return redirect(self.get_return_url(self.url("plan")))


class PositionTransitionView(ProcurementMixin, View):
    def get_required_action(self):
        target = self.request.POST.get("target")
        return Action.INSPECT_DELIVERY if target == P.INSPECTED else Action.EDIT_PROCUREMENT

    def post(self, request, engagement_pk, pk):
        position = get_object_or_404(Position, engagement=self.engagement, pk=pk)
        target = request.POST.get("target", "")
        try:
            if target == "anchored":
                services.position_confirm_anchoring(position=position, actor=request.user)
                messages.success(request, _("Anchoring of %(p)s confirmed.") % {"p": position})
            else:
                services.position_transition(position=position, target=target,
                                             actor=request.user)
                messages.success(request, _("%(p)s: %(state)s.") % {
                    "p": position, "state": dict(P.choices).get(target, target)})
        except ValidationError as exc:
            flash_errors(request, exc)
        return redirect(self.get_return_url(self.url("positions")))


class TabletView(ProcurementMixin, TemplateView):
    """On the floor: today's ordered and delivered units, large controls, one submit."""

    template_name = "procurement/tablet.html"
    crumb = gettext_lazy("On site (tablet)")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        positions = [p for p in selectors.positions_of(plan)
                     if p.line_id and p.status in (P.ORDERED, P.DELIVERED)]
        context.update(plan=plan, positions=positions,
                       form=kwargs.get("form") or forms.BulkForm(engagement=self.engagement),
                       refused=kwargs.get("refused", []),
                       ticked={as_id(v) for v in self.request.POST.getlist("positions")
                               if as_id(v) is not None})
        return context

    def post(self, request, engagement_pk):
        form = forms.BulkForm(request.POST, engagement=self.engagement)
        refused = []
        if form.is_valid():
            try:
                done = services.positions_update(
                    engagement=self.engagement,
                    # a junk id is an id of no position: the service names it as not here
                    position_ids=[as_id(v) or 0 for v in request.POST.getlist("positions")],
                    target=form.cleaned_data["target"],
                    installer=form.cleaned_data.get("installer"),
                    anchored_ids=[as_id(v) for v in request.POST.getlist("anchored")
                                  if as_id(v) is not None],
                    actor=request.user)
                messages.success(request, _("%(n)s positions updated.") % {"n": len(done)})
                return redirect(self.url("tablet"))
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    apply_service_errors(form, exc)
                else:
                    refused = exc.messages
        return self.render_to_response(self.get_context_data(form=form, refused=refused),
                                       status=400)


# --- Suppliers, orders, quotes ----------------------------------------------------------------


class OrderListView(ProcurementMixin, TemplateView):
    template_name = "procurement/order_list.html"
    crumb = gettext_lazy("Quotes and orders")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        rows = selectors.plan_overview(plan).rows
        context.update(
            plan=plan, orders=list(selectors.order_list(self.engagement)),
            order_form=kwargs.get("order_form") or forms.OrderCreateForm(lines=rows),
            supplier_form=kwargs.get("supplier_form") or forms.SupplierForm(),
            suppliers=forms.companies(self.engagement),
        )
        return context

    def post(self, request, engagement_pk):
        plan = self.get_plan()
        rows = selectors.plan_overview(plan).rows
        if "name" in request.POST:
            form = forms.SupplierForm(request.POST)
            if form.is_valid():
                try:
                    company = services.supplier_create(
                        engagement=self.engagement, name=form.cleaned_data["name"],
                        actor=request.user)
                    messages.success(request, _("%(name)s is a supplier.") % {
                        "name": company.name})
                    return redirect(self.url("order_list"))
                except ValidationError as exc:
                    apply_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(supplier_form=form),
                                           status=400)
        form = forms.OrderCreateForm(request.POST, lines=rows)
        if form.is_valid():
            try:
                order = services.order_create(
                    engagement=self.engagement, title=form.cleaned_data["title"],
                    quantities=form.quantities(), actor=request.user)
                messages.success(request, _("The order was drafted: add the quotes."))
                return redirect(self.url("order_detail", order.pk))
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return self.render_to_response(self.get_context_data(order_form=form), status=400)


class OrderMixin(ProcurementMixin):
    def get_order(self) -> Order:
        try:
            return selectors.order_get(self.engagement, self.kwargs["pk"])
        except Order.DoesNotExist as exc:
            raise Http404 from exc


class OrderDetailView(OrderMixin, TemplateView):
    template_name = "procurement/order_detail.html"

    def get_parent_crumbs(self, context):
        return [Crumb(_("Quotes and orders"), self.url("order_list"))]

    def get_crumb(self, context):
        return str(context["order"].title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.get_order()
        comparison = selectors.order_comparison(order)
        lines = [row.order_line for row in comparison.rows]
        context.update(
            order=order, comparison=comparison,
            quote_form=kwargs.get("quote_form") or forms.QuoteForm(
                order_lines=lines, engagement=self.engagement),
            choose_form=kwargs.get("choose_form") or forms.ChooseQuoteForm(
                instance=order, initial={"reason": order.choice_reason}),
            issue_form=kwargs.get("issue_form") or forms.IssueForm(instance=order, initial={
                "number": order.number, "ordered_on": order.ordered_on,
                "delivery_due": order.delivery_due,
                "delivery_place": order.delivery_place or (
                    f"{self.engagement.building} {self.engagement.floor}"
                    f" {self.engagement.section}")}),
            cancel_form=forms.CancelForm(),
            quote_file_forms=self._quote_file_forms(comparison, kwargs.get("quote_file_form")),
            transitions=ORDER_WORKFLOW.available(order, self.role),
            is_draft=order.status == OrderStatus.DRAFT,
            history=history_entries(order),
            status_history=status_history(order),
        )
        return context

    def post(self, request, engagement_pk, pk):
        order = self.get_order()
        step = request.POST.get("step")
        handlers = {"quote": self._quote, "quote_file": self._quote_file,
                    "choose": self._choose, "issue": self._issue, "cancel": self._cancel}
        if step not in handlers:
            raise Http404
        return handlers[step](request, order)

    def _done(self, order, message):
        messages.success(self.request, message)
        return redirect(self.url("order_detail", order.pk))

    def _again(self, **forms_):
        return self.render_to_response(self.get_context_data(**forms_), status=400)

    @staticmethod
    def _quote_file_forms(comparison, posted=None) -> dict:
        """A file form per quote (ids apart), the posted one with its errors."""
        forms_ = {}
        for column in comparison.columns:
            quote = column.quote
            if posted is not None and str(posted.data.get("quote")) == str(quote.pk):
                forms_[quote.pk] = posted
                continue
            forms_[quote.pk] = forms.QuoteFileForm(
                version=quote.version, initial={"quote": quote.pk},
                auto_id=f"id_quote{quote.pk}_%s")
        return forms_

    def _quote_file(self, request, order):
        form = forms.QuoteFileForm(request.POST, request.FILES,
                                   auto_id=f"id_quote{request.POST.get('quote')}_%s")
        if form.is_valid():
            quote = get_object_or_404(Quote, order=order, pk=form.cleaned_data["quote"])
            try:
                services.quote_file_set(quote=quote, file=form.cleaned_data.get("file"),
                                        version=form.cleaned_data.get("version"),
                                        actor=request.user)
                return self._done(order, _("The quote file of %(s)s was saved.") % {
                    "s": quote.supplier.name})
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return self._again(quote_file_form=form)

    def _quote(self, request, order):
        lines = list(order.lines.select_related("plan_line"))
        form = forms.QuoteForm(request.POST, request.FILES, order_lines=lines,
                               engagement=self.engagement)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.quote_create(
                    order=order, supplier=data["supplier"], quoted_on=data["quoted_on"],
                    valid_until=data["valid_until"], tax_included=data["tax_included"],
                    prices=form.prices(), file=data.get("file"), notes=data["notes"],
                    actor=request.user)
                return self._done(order, _("The quote of %(s)s was added.") % {
                    "s": data["supplier"].name})
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return self._again(quote_form=form)

    def _choose(self, request, order):
        form = forms.ChooseQuoteForm(request.POST, instance=order)
        if form.is_valid():
            quote = order.quotes.filter(pk=form.cleaned_data["quote"]).first()
            try:
                if quote is None:
                    raise ValidationError({"quote": _("That quote is not one of this order's.")})
                services.order_choose_quote(order=order, quote=quote,
                                            reason=form.cleaned_data["reason"],
                                            version=form.cleaned_data.get("version"),
                                            actor=request.user)
                return self._done(order, _("The quote of %(s)s was chosen.") % {
                    "s": quote.supplier.name})
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return self._again(choose_form=form)

    def _issue(self, request, order):
        form = forms.IssueForm(request.POST, instance=order)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.order_issue(order=order, number=data["number"],
                                     ordered_on=data["ordered_on"],
                                     delivery_due=data["delivery_due"],
                                     delivery_place=data["delivery_place"],
                                     version=data.get("version"), actor=request.user)
                return self._done(order, _("The order was issued."))
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return self._again(issue_form=form)

    def _cancel(self, request, order):
        form = forms.CancelForm(request.POST)
        if form.is_valid():
            try:
                services.order_cancel(order=order, comment=form.cleaned_data["comment"],
                                      actor=request.user)
                return self._done(order, _("The draft order was cancelled."))
            except ValidationError as exc:
                flash_errors(request, exc)
        return redirect(self.url("order_detail", order.pk))


class OrderPdfView(OrderMixin, View):
    def get(self, request, engagement_pk, pk):
        order = self.get_order()
        if order.status != OrderStatus.ISSUED:
            raise Http404(_("The order has not been issued."))
        return file_response(pdf.order_pdf(order), filename=pdf.order_download_name(order),
                             fallback=pdf.order_filename(order), inline=True)


# --- Inspection and asset numbers -------------------------------------------------------------


class InspectionView(ProcurementMixin, TemplateView):
    template_name = "procurement/inspection.html"
    crumb = gettext_lazy("Inspection")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        positions = [p for p in selectors.positions_of(plan) if p.line_id]
        waiting = [(p, selectors.inspection_due(p)) for p in positions
                   if p.status in (P.DELIVERED, P.INSTALLED)]
        findings = [(f, FINDING_WORKFLOW.available(f, self.role))
                    for f in selectors.findings_of(self.engagement)]
        context.update(
            plan=plan, waiting=waiting, findings=findings,
            inspected=[p for p in positions if p.status == P.INSPECTED],
            today=timezone.localdate(),
            finding_form=forms.FindingForm(), correction_form=forms.CorrectionForm(),
            reinspect_form=forms.ReinspectForm(), asset_errors=kwargs.get("asset_errors", []),
        )
        # Each row's field: what was typed when the page comes back refused, else the number;
        # its version: the one the page was first opened with (a stale page stays stale).
        typed, versions = kwargs.get("asset_input") or ({}, {})
        for position in context["inspected"]:
            position.asset_input = typed.get(position.pk, position.asset_number)
            position.form_version = versions.get(position.pk, position.version)
        return context


class FindingRaiseView(ProcurementMixin, View):
    write_action = Action.INSPECT_DELIVERY

    def post(self, request, engagement_pk, pk):
        position = get_object_or_404(Position, engagement=self.engagement, pk=pk)
        form = forms.FindingForm(request.POST, request.FILES)
        try:
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.finding_raise(position=position, text=form.cleaned_data["text"],
                                   photo=form.cleaned_data.get("photo"), actor=request.user)
            messages.success(request, _("The finding on %(p)s was recorded.") % {"p": position})
        except ValidationError as exc:
            flash_errors(request, exc)
        return redirect(self.get_return_url(self.url("inspection")))


class FindingStepView(ProcurementMixin, View):
    """The contractor's correction (是正) or the city's re-inspection of a finding."""

    def get_required_action(self):
        if self.request.POST.get("step") == "reinspect":
            return Action.INSPECT_DELIVERY
        return Action.EDIT_PROCUREMENT

    def post(self, request, engagement_pk, pk):
        finding = get_object_or_404(Finding, engagement=self.engagement, pk=pk)
        try:
            if request.POST.get("step") == "reinspect":
                form = forms.ReinspectForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Choose passed or not."))
                services.finding_reinspect(finding=finding, passed=form.cleaned_data["passed"],
                                           comment=form.cleaned_data["comment"],
                                           actor=request.user)
                messages.success(request, _("The re-inspection was recorded."))
            else:
                form = forms.CorrectionForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise ValidationError([e for errs in form.errors.values() for e in errs])
                services.finding_correct(finding=finding,
                                         correction=form.cleaned_data["correction"],
                                         photo=form.cleaned_data.get("photo"),
                                         actor=request.user)
                messages.success(request, _("The correction was recorded."))
        except ValidationError as exc:
            flash_errors(request, exc)
        return redirect(self.get_return_url(self.url("inspection")))


def _numbered(post, prefix: str) -> dict[int, str]:
    """``{pk: value}`` of the posted fields ``<prefix><pk>``."""
    return {as_id(key[len(prefix):]): value for key, value in post.items()
            if key.startswith(prefix) and as_id(key[len(prefix):]) is not None}


class AssetNumbersView(InspectionView):
    """Saves the asset numbers of the inspection page; a refusal shows the page again with
    what was typed (a stale page: the current numbers in the message)."""

    write_action = Action.RECORD_ASSET_NUMBERS
    http_method_names = ["post"]

    def post(self, request, engagement_pk):
        numbers = _numbered(request.POST, "asset_")
        versions = {pk: as_id(v) for pk, v in _numbered(request.POST, "version_").items()
                    if as_id(v) is not None}
        try:
            changed = services.asset_numbers_set(engagement=self.engagement, numbers=numbers,
                                                 actor=request.user, versions=versions)
        except ValidationError as exc:
            context = self.get_context_data(asset_errors=exc.messages,
                                            asset_input=(numbers, versions))
            return self.render_to_response(context)
        messages.success(request, _("%(n)s asset numbers saved.") % {"n": changed})
        return redirect(self.url("inspection"))


class ExportView(ProcurementMixin, View):
    def get(self, request, engagement_pk):
        name, fallback = exports.workbook_download_name(self.engagement)
        return file_response(exports.procurement_workbook(self.engagement), filename=name,
                             fallback=fallback)


# --- Cabling ----------------------------------------------------------------------------------


class CablingView(ProcurementMixin, TemplateView):
    template_name = "procurement/cabling.html"
    crumb = gettext_lazy("Cabling")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        positions = list(selectors.positions_of(plan))
        context.update(plan=plan, rows=selectors.cabling_rows(positions),
                       taps=selectors.tap_loads(self.engagement, positions),
                       tap_form=kwargs.get("tap_form") or forms.TapForm())
        return context

    def post(self, request, engagement_pk):
        form = forms.TapForm(request.POST)
        if form.is_valid():
            try:
                services.oa_tap_create(engagement=self.engagement,
                                       label=form.cleaned_data["label"],
                                       rating_w=form.cleaned_data["rating_w"],
                                       actor=request.user)
                messages.success(request, _("The OA tap was added."))
                return redirect(self.url("cabling"))
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return self.render_to_response(self.get_context_data(tap_form=form), status=400)


class PositionCablingView(ProcurementMixin, TemplateView):
    template_name = "procurement/position_cabling.html"

    def get_parent_crumbs(self, context):
        return [Crumb(_("Cabling"), self.url("cabling"))]

    def get_crumb(self, context):
        return str(context["position"].label)

    def get_position(self) -> Position:
        return get_object_or_404(selectors.positions_of(self.get_plan()), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        position = self.get_position()
        initial = {name: getattr(position, name) for name in services.REQUIREMENT_FIELDS}
        initial["requirement_reason"] = position.requirement_reason
        context.update(
            position=position, row=selectors.cabling_rows([position])[0],
            form=kwargs.get("form") or forms.RequirementForm(
                instance=position, engagement=self.engagement, initial=initial),
            connection_form=kwargs.get("connection_form")
            or forms.ConnectionForm(engagement=self.engagement),
            history=history_entries(position),
        )
        return context

    def post(self, request, engagement_pk, pk):
        position = self.get_position()
        if request.POST.get("step") == "connection":
            form = forms.ConnectionForm(request.POST, engagement=self.engagement)
            if form.is_valid():
                try:
                    services.connection_add(position=position, actor=request.user,
                                            **form.cleaned_data)
                    messages.success(request, _("The connection was recorded."))
                    return redirect(self.url("position_cabling", position.pk))
                except ValidationError as exc:
                    apply_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(connection_form=form),
                                           status=400)
        if request.POST.get("step") == "tested":
            connection = get_object_or_404(position.connections,
                                           pk=posted_id(request.POST.get("connection")))
            services.connection_mark_tested(connection=connection, actor=request.user)
            messages.success(request, _("Marked as tested."))
            return redirect(self.url("position_cabling", position.pk))
        form = forms.RequirementForm(request.POST, instance=position, engagement=self.engagement)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.position_requirements_update(
                    position=position, values={k: data[k] for k in services.REQUIREMENT_FIELDS},
                    reason=data["requirement_reason"], version=data.get("version"),
                    actor=request.user)
                messages.success(request, _("The requirements were saved."))
                return redirect(self.url("position_cabling", position.pk))
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- Installation days ------------------------------------------------------------------------


class InstallationDaysView(ProcurementMixin, TemplateView):
    template_name = "procurement/days.html"
    crumb = gettext_lazy("Installation days")

    def get_day(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return get_object_or_404(selectors.installation_days(self.engagement), pk=pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = self.get_day()
        context.update(days=list(selectors.installation_days(self.engagement)), day=day,
                       form=kwargs.get("form") or forms.InstallationDayForm(
                           instance=day, engagement=self.engagement),
                       history=history_entries(day) if day else None)
        return context

    def post(self, request, engagement_pk, pk=None):
        day = self.get_day()
        form = forms.InstallationDayForm(request.POST, instance=day,
                                         engagement=self.engagement)
        if form.is_valid():
            try:
                data = dict(form.cleaned_data)
                version = data.pop("version", None)
                services.installation_day_save(engagement=self.engagement, values=data, day=day,
                                               version=version, actor=request.user)
                messages.success(request, _("The installation day was saved."))
                return redirect(self.url("days"))
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied:
                raise
        return self.render_to_response(self.get_context_data(form=form), status=400)
