"""Views of the disposal stage: thin — a form validates, one service call, a message, a
redirect; a refused input comes back beside its field."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from engagements.downloads import file_response
from engagements.forms import add_service_errors
from engagements.history import history_entries
from engagements.permissions import Action, role_can
from engagements.views import Crumb, EngagementMixin, posted_id
from engagements.workflow import status_history

from . import exports, pdf, selectors, services
from .choices import (
    FINAL_STATUSES,
    ItemSource,
    ItemStatus,
    ManifestStatus,
    Outcome,
)
from .deadlines import copy_deadlines
from .forms import (
    CancelTransferForm,
    CarryOutForm,
    CommentForm,
    DecideForm,
    FileForm,
    ItemForm,
    ManifestCreateForm,
    OfferForm,
    OperatorForm,
    ProposeForm,
    ReceiveForm,
    RequestForm,
    ReturnsForm,
    ReviseDecisionForm,
    SaleForm,
    TransferForm,
    WasteForm,
)
from .models import Manifest, ReuseOffer, ReuseRequest


class DisposalMixin(EngagementMixin):
    stage = "disposal"
    tab = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tab"] = self.tab
        return context


class FormPostView(DisposalMixin, TemplateView):
    """POST a form to one service; on a refusal, show the page again with the form's errors.

    Subclasses set ``form_class``, ``form_name`` (the page's context name for the form),
    ``perform(form, obj)`` and ``page_context(obj, **forms)``.
    """

    form_class = None
    form_name = "form"
    success_message = ""

    def get_object(self):
        return None

    def form_kwargs(self, obj) -> dict:
        return {}

    def success_url(self, obj, result) -> str:
        return (result or obj).get_absolute_url()

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return redirect(obj.get_absolute_url() if obj else reverse(
            "disposal:index", args=[self.engagement.pk]))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.form_class(request.POST, request.FILES, **self.form_kwargs(obj))
        if form.is_valid():
            try:
                result = self.perform(form, obj)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, self.success_message)
                return redirect(self.success_url(obj, result))
        context = self.page_context(obj, **{self.form_name: form})
        return self.render_to_response(self.get_context_data(**context))


# --- The stage page -------------------------------------------------------------------------
class StageIndexView(DisposalMixin, TemplateView):
    """Every item with its state, the work-list changes, and overdue manifest copies."""

    template_name = "disposal/index.html"
    tab = "items"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = list(selectors.item_queryset(self.engagement).order_by("source", "number"))
        status = self.request.GET.get("status", "")
        if status in ItemStatus.values:
            shown = [i for i in items if i.status == status]
        elif status == "open":
            shown = [i for i in items if not i.is_final and i.status != ItemStatus.WITHDRAWN]
        else:
            shown = items
        context.update(
            items=shown, all_count=len(items), status_filter=status,
            statuses=ItemStatus.choices,
            diff=selectors.work_list_diff(self.engagement),
            counts=selectors.counts_by_outcome(items),
            overdue=selectors.overdue_manifests(self.engagement),
            progress=selectors.stage_progress(self.engagement),
        )
        return context


class ItemsSyncView(DisposalMixin, View):
    required_action = Action.EDIT_DISPOSAL

    def post(self, request, *args, **kwargs):
        result = services.items_sync(engagement=self.engagement, actor=request.user)
        messages.success(request, _(
            "Work list applied: %(created)s added, %(withdrawn)s withdrawn, %(returned)s "
            "taken back, %(kept)s kept although no longer listed."
        ) % {k: len(v) for k, v in result.items()})
        return redirect("disposal:index", self.engagement.pk)


class ItemFormView(DisposalMixin, TemplateView):
    """Add an item by hand (with a reason) or change an item's facts."""

    template_name = "disposal/item_form.html"
    tab = "items"

    def get_parent_crumbs(self, context):
        item = context["item"]
        return [Crumb(str(item), item.get_absolute_url())] if item else []

    def get_crumb(self, context):
        return _("Edit") if context["item"] else _("Add an item by hand")

    def get_item(self):
        pk = self.kwargs.get("pk")
        return selectors.item_get(self.engagement, pk) if pk else None

    def get_required_action(self):
        if self.kwargs.get("pk"):
            return Action.VIEW  # the service decides: contractor before, city after decision
        return Action.EDIT_DISPOSAL

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.get_item()
        context["item"] = item
        context["form"] = form or ItemForm(
            instance=item, manual=item is None or item.source == ItemSource.MANUAL)
        return context

    def post(self, request, *args, **kwargs):
        item = self.get_item()
        manual = item is None or item.source == ItemSource.MANUAL
        form = ItemForm(request.POST, request.FILES, instance=item, manual=manual)
        if form.is_valid():
            values = {n: form.cleaned_data[n] for n in ItemForm.Meta.fields if n != "photo"}
            if form.cleaned_data.get("photo"):
                values["photo"] = form.cleaned_data["photo"]
            try:
                if item is None:
                    item = services.item_create_manual(
                        engagement=self.engagement, actor=request.user, **values)
                    messages.success(request, _("The item was added."))
                else:
                    services.item_update(
                        item=item, actor=request.user, values=values,
                        version=form.cleaned_data.get("version"),
                        reason=form.cleaned_data.get("reason_for_change", ""))
                    messages.success(request, _("The item was saved."))
                return redirect(item.get_absolute_url())
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form))


def item_page_context(view, item, **forms) -> dict:
    role = view.role
    initial_decision = {"outcome": item.outcome or item.proposed_outcome,
                        "decided_on": item.decided_on, "document": item.decision_document}
    context = {
        "item": item,
        "history": history_entries(item),
        "status_history": status_history(item),
        "requests": list(item.reuse_requests.select_related("office", "offer")),
        "propose_form": ProposeForm(initial={"outcome": item.proposed_outcome,
                                             "note": item.proposal_note,
                                             "version": item.version}),
        "decide_form": DecideForm(initial={**initial_decision, "version": item.version}),
        "revise_form": ReviseDecisionForm(initial={**initial_decision,
                                                   "version": item.version}),
        "return_form": CommentForm(),
        "waste_form": WasteForm(initial={"waste_class": item.waste_class
                                         or item.derived_waste_class,
                                         "weight_kg": item.weight_kg,
                                         "weighed": item.weight_weighed,
                                         "version": item.version}),
        "sale_form": SaleForm(initial={"buyer": item.buyer, "price_yen": item.sale_price_yen,
                                       "sold_on": item.sold_on, "version": item.version}),
        "can_propose": item.status in (ItemStatus.NEW, ItemStatus.PROPOSED)
        and role_can(role, Action.EDIT_DISPOSAL),
        "can_decide": item.status == ItemStatus.PROPOSED and role_can(role, Action.DECIDE_DISPOSAL),
        "can_revise": item.status in (ItemStatus.DECIDED, ItemStatus.KEPT)
        and role_can(role, Action.REVISE_DISPOSAL_DECISION) and not item.work_started,
        "can_waste": item.status == ItemStatus.DECIDED and item.outcome == Outcome.SCRAP
        and role_can(role, Action.EDIT_DISPOSAL),
        "can_sell": item.status == ItemStatus.DECIDED and item.outcome == Outcome.SALE
        and role_can(role, Action.EDIT_DISPOSAL),
        "can_edit": (item.status in (ItemStatus.NEW, ItemStatus.PROPOSED)
                     and role_can(role, Action.EDIT_DISPOSAL))
        or (item.status not in (ItemStatus.NEW, ItemStatus.PROPOSED)
            and role_can(role, Action.REVISE_DISPOSAL_DECISION)),
        "deadlines": copy_deadlines(item.manifest) if item.manifest_id else [],
        "final_statuses": FINAL_STATUSES,
    }
    context.update(forms)
    return context


class ItemCrumbs:
    def get_crumb(self, context):
        return str(context["item"])


class ItemDetailView(ItemCrumbs, DisposalMixin, TemplateView):
    template_name = "disposal/item_detail.html"
    tab = "items"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(item_page_context(self, selectors.item_get(self.engagement,
                                                                   self.kwargs["pk"])))
        return context


class ItemPostView(ItemCrumbs, FormPostView):
    template_name = "disposal/item_detail.html"
    tab = "items"

    def get_object(self):
        return selectors.item_get(self.engagement, self.kwargs["pk"])

    def page_context(self, obj, **forms):
        return item_page_context(self, obj, **forms)


class ItemProposeView(ItemPostView):
    required_action = Action.EDIT_DISPOSAL
    form_class, form_name = ProposeForm, "propose_form"

    @property
    def success_message(self):
        return _("The outcome was proposed.")

    def perform(self, form, item):
        d = form.cleaned_data
        return services.item_propose(item=item, actor=self.request.user, outcome=d["outcome"],
                                     note=d["note"], version=d.get("version"))


class ItemDecideView(ItemPostView):
    required_action = Action.DECIDE_DISPOSAL
    form_class, form_name = DecideForm, "decide_form"

    @property
    def success_message(self):
        return _("The outcome decision was recorded.")

    def perform(self, form, item):
        d = form.cleaned_data
        return services.item_decide(item=item, actor=self.request.user, outcome=d["outcome"],
                                    decided_on=d["decided_on"], document=d["document"],
                                    comment=d["comment"], version=d.get("version"))


class ItemReviseView(ItemPostView):
    required_action = Action.REVISE_DISPOSAL_DECISION
    form_class, form_name = ReviseDecisionForm, "revise_form"

    @property
    def success_message(self):
        return _("The decision was changed.")

    def perform(self, form, item):
        d = form.cleaned_data
        return services.item_revise_decision(
            item=item, actor=self.request.user, outcome=d["outcome"],
            decided_on=d["decided_on"], document=d["document"], reason=d["comment"],
            version=d.get("version"))


class ItemReturnView(ItemPostView):
    required_action = Action.DECIDE_DISPOSAL
    form_class, form_name = CommentForm, "return_form"

    @property
    def success_message(self):
        return _("The proposal was returned.")

    def perform(self, form, item):
        return services.item_return(item=item, actor=self.request.user,
                                    comment=form.cleaned_data["comment"])


class ItemWasteView(ItemPostView):
    required_action = Action.EDIT_DISPOSAL
    form_class, form_name = WasteForm, "waste_form"

    @property
    def success_message(self):
        return _("The waste class and weight were saved.")

    def perform(self, form, item):
        d = form.cleaned_data
        return services.item_record_waste(
            item=item, actor=self.request.user, waste_class=d["waste_class"],
            weight_kg=d["weight_kg"], weighed=d["weighed"], reason=d["reason"],
            version=d.get("version"))


class ItemSaleView(ItemPostView):
    required_action = Action.EDIT_DISPOSAL
    form_class, form_name = SaleForm, "sale_form"

    @property
    def success_message(self):
        return _("The sale was recorded.")

    def perform(self, form, item):
        d = form.cleaned_data
        return services.item_record_sale(
            item=item, actor=self.request.user, buyer=d["buyer"], price_yen=d["price_yen"],
            sold_on=d["sold_on"], receipt=d.get("receipt"), version=d.get("version"))


# --- Transfers -----------------------------------------------------------------------------
class TransferListView(DisposalMixin, TemplateView):
    template_name = "disposal/transfer_list.html"
    tab = "transfers"
    crumb = gettext_lazy("Transfers")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        items = selectors.decided_items(self.engagement, Outcome.TRANSFER, free_field="transfer")
        context["transfers"] = selectors.transfer_list(self.engagement)
        context["form"] = form or TransferForm(items=items)
        context["waiting"] = list(items)
        return context

    def post(self, request, *args, **kwargs):
        if not self.can(Action.EDIT_DISPOSAL):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        items = selectors.decided_items(self.engagement, Outcome.TRANSFER, free_field="transfer")
        form = TransferForm(request.POST, items=items)
        if form.is_valid():
            d = form.cleaned_data
            try:
                transfer = services.transfer_create(
                    engagement=self.engagement, actor=request.user, items=d["items"],
                    destination=d["destination"], destination_section=d["destination_section"],
                    contact_name=d["contact_name"], contact_phone=d["contact_phone"],
                    planned_on=d["planned_on"], notes=d["notes"])
                messages.success(request, _("The transfer was planned."))
                return redirect(transfer.get_absolute_url())
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form))


def transfer_page_context(view, transfer, **forms) -> dict:
    context = {
        "transfer": transfer,
        "items": list(transfer.items.all()),
        "history": history_entries(transfer),
        "status_history": status_history(transfer),
        "carry_form": CarryOutForm(initial={"version": transfer.version}),
        "cancel_form": CancelTransferForm(initial={"version": transfer.version}),
        "receive_form": ReceiveForm(initial={"version": transfer.version,
                                             "received_by_name": transfer.contact_name}),
        "file_form": FileForm(),
        "can_edit": view.can(Action.EDIT_DISPOSAL),
    }
    context.update(forms)
    return context


class TransferCrumbs:
    def get_parent_crumbs(self, context):
        return [Crumb(_("Transfers"), reverse("disposal:transfer_list", args=[self.engagement.pk]))]

    def get_crumb(self, context):
        return str(context["transfer"].destination)


class TransferDetailView(TransferCrumbs, DisposalMixin, TemplateView):
    template_name = "disposal/transfer_detail.html"
    tab = "transfers"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(transfer_page_context(
            self, selectors.transfer_get(self.engagement, self.kwargs["pk"])))
        return context


class TransferPostView(TransferCrumbs, FormPostView):
    template_name = "disposal/transfer_detail.html"
    tab = "transfers"
    required_action = Action.EDIT_DISPOSAL

    def get_object(self):
        return selectors.transfer_get(self.engagement, self.kwargs["pk"])

    def page_context(self, obj, **forms):
        return transfer_page_context(self, obj, **forms)


class TransferCarryOutView(TransferPostView):
    form_class, form_name = CarryOutForm, "carry_form"

    @property
    def success_message(self):
        return _("The carrying out was recorded.")

    def perform(self, form, transfer):
        d = form.cleaned_data
        return services.transfer_carry_out(transfer=transfer, actor=self.request.user,
                                           carried_out_on=d["carried_out_on"],
                                           photo=d["photo"], version=d.get("version"))


class TransferCancelView(TransferPostView):
    form_class, form_name = CancelTransferForm, "cancel_form"

    @property
    def success_message(self):
        return _("The transfer was cancelled: its items can go on another transfer.")

    def perform(self, form, transfer):
        return services.transfer_cancel(transfer=transfer, actor=self.request.user,
                                        reason=form.cleaned_data["comment"],
                                        version=form.cleaned_data.get("version"))


class TransferReceiveView(TransferPostView):
    form_class, form_name = ReceiveForm, "receive_form"

    @property
    def success_message(self):
        return _("The receipt was recorded: the items are transferred.")

    def perform(self, form, transfer):
        d = form.cleaned_data
        return services.transfer_receive(transfer=transfer, actor=self.request.user,
                                          received_by_name=d["received_by_name"],
                                          received_on=d["received_on"],
                                          version=d.get("version"))


class TransferReceiptUploadView(TransferPostView):
    form_class, form_name = FileForm, "file_form"

    @property
    def success_message(self):
        return _("The signed receipt was uploaded.")

    def perform(self, form, transfer):
        return services.transfer_upload_receipt(transfer=transfer, actor=self.request.user,
                                                file=form.cleaned_data["file"])


class TransferReceiptPdfView(DisposalMixin, View):
    def get(self, request, *args, **kwargs):
        transfer = selectors.transfer_get(self.engagement, kwargs["pk"])
        return file_response(pdf.receipt_pdf(transfer),
                             filename=pdf.receipt_download_name(transfer),
                             fallback=f"receipt-{transfer.pk}.pdf", inline=True)


# --- Waste ---------------------------------------------------------------------------------
class WasteView(DisposalMixin, TemplateView):
    """Operators with their licences and contracts; manifests with their deadlines."""

    template_name = "disposal/waste.html"
    tab = "waste"
    crumb = gettext_lazy("Scrapping and manifests")

    def get_context_data(self, operator_form=None, manifest_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        operators = selectors.operator_list(self.engagement)
        items = selectors.decided_items(self.engagement, Outcome.SCRAP, free_field="manifest")
        context.update(
            operators=list(operators),
            manifests=selectors.manifest_list(self.engagement),
            overdue=selectors.overdue_manifests(self.engagement),
            operator_form=operator_form or OperatorForm(),
            manifest_form=manifest_form or ManifestCreateForm(items=items, operators=operators),
            waiting=list(items),
        )
        return context


class OperatorCreateView(WasteView):
    required_action = Action.EDIT_DISPOSAL

    def get(self, request, *args, **kwargs):
        return redirect("disposal:waste", self.engagement.pk)

    def post(self, request, *args, **kwargs):
        form = OperatorForm(request.POST, request.FILES)
        if form.is_valid():
            values = {n: form.cleaned_data[n] for n in OperatorForm.Meta.fields}
            if not values.get("contract_file"):
                values.pop("contract_file")
            try:
                services.operator_create(engagement=self.engagement, actor=request.user,
                                         **values)
                messages.success(request, _("The operator was recorded."))
                return redirect("disposal:waste", self.engagement.pk)
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(self.get_context_data(operator_form=form))


class ManifestCreateView(WasteView):
    required_action = Action.EDIT_DISPOSAL

    def get(self, request, *args, **kwargs):
        return redirect("disposal:waste", self.engagement.pk)

    def post(self, request, *args, **kwargs):
        items = selectors.decided_items(self.engagement, Outcome.SCRAP, free_field="manifest")
        form = ManifestCreateForm(request.POST, items=items,
                                  operators=selectors.operator_list(self.engagement))
        if form.is_valid():
            try:
                manifest = services.manifest_create(
                    engagement=self.engagement, actor=request.user, **form.cleaned_data)
                messages.success(request, _("The manifest was recorded."))
                return redirect(manifest.get_absolute_url())
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(self.get_context_data(manifest_form=form))


def manifest_page_context(view, manifest, **forms) -> dict:
    context = {
        "manifest": manifest,
        "items": list(manifest.items.order_by("number")),
        "deadlines": copy_deadlines(manifest),
        "history": history_entries(manifest),
        "status_history": status_history(manifest),
        "returns_form": ReturnsForm(initial={
            "b2_returned_on": manifest.b2_returned_on, "d_returned_on": manifest.d_returned_on,
            "e_returned_on": manifest.e_returned_on, "version": manifest.version}),
        "file_form": FileForm(),
        "can_edit": view.can(Action.EDIT_DISPOSAL),
        "is_complete": manifest.status == ManifestStatus.COMPLETED,
    }
    context.update(forms)
    return context


class ManifestCrumbs:
    def get_parent_crumbs(self, context):
        return [Crumb(_("Scrapping and manifests"),
                      reverse("disposal:waste", args=[self.engagement.pk]))]

    def get_crumb(self, context):
        return str(context["manifest"].number)


class ManifestDetailView(ManifestCrumbs, DisposalMixin, TemplateView):
    template_name = "disposal/manifest_detail.html"
    tab = "waste"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        manifest = get_object_or_404(
            Manifest.objects.select_related("collector", "disposer"),
            engagement=self.engagement, pk=self.kwargs["pk"])
        context.update(manifest_page_context(self, manifest))
        return context


class ManifestPostView(ManifestCrumbs, FormPostView):
    template_name = "disposal/manifest_detail.html"
    tab = "waste"
    required_action = Action.EDIT_DISPOSAL

    def get_object(self):
        return get_object_or_404(Manifest.objects.select_related("collector", "disposer"),
                                 engagement=self.engagement, pk=self.kwargs["pk"])

    def page_context(self, obj, **forms):
        return manifest_page_context(self, obj, **forms)


class ManifestReturnsView(ManifestPostView):
    form_class, form_name = ReturnsForm, "returns_form"

    @property
    def success_message(self):
        return _("The returned copies were recorded.")

    def perform(self, form, manifest):
        d = form.cleaned_data
        return services.manifest_record_returns(
            manifest=manifest, actor=self.request.user, b2_returned_on=d["b2_returned_on"],
            d_returned_on=d["d_returned_on"], e_returned_on=d["e_returned_on"],
            version=d.get("version"))


class ManifestCertificateView(ManifestPostView):
    form_class, form_name = FileForm, "file_form"

    @property
    def success_message(self):
        return _("The disposal certificate was uploaded.")

    def perform(self, form, manifest):
        return services.manifest_upload_certificate(manifest=manifest, actor=self.request.user,
                                                    file=form.cleaned_data["file"])


# --- Offer to the ward offices ---------------------------------------------------------------
class OfferListView(DisposalMixin, TemplateView):
    template_name = "disposal/offer_list.html"
    tab = "offers"
    crumb = gettext_lazy("Offer to the ward offices")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offers"] = selectors.offer_list(self.engagement)
        context["form"] = form or OfferForm(
            items=selectors.offerable_items(self.engagement),
            initial={"title": _("Offer of furniture no longer needed")})
        return context

    def post(self, request, *args, **kwargs):
        if not self.can(Action.ALLOCATE_REUSE):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = OfferForm(request.POST, items=selectors.offerable_items(self.engagement))
        if form.is_valid():
            try:
                offer = services.offer_create(engagement=self.engagement, actor=request.user,
                                              **form.cleaned_data)
                messages.success(request, _("The offer list was made."))
                return redirect(offer.get_absolute_url())
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form))


def offer_page_context(view, offer, **forms) -> dict:
    context = {
        "offer": offer,
        "board": selectors.offer_board(offer),
        "request_form": RequestForm(offer=offer),
        "can_allocate": view.can(Action.ALLOCATE_REUSE),
        "history": history_entries(offer),
    }
    context.update(forms)
    return context


class OfferCrumbs:
    def get_parent_crumbs(self, context):
        return [Crumb(_("Offer to the ward offices"),
                      reverse("disposal:offer_list", args=[self.engagement.pk]))]

    def get_crumb(self, context):
        return str(context["offer"].title)


class OfferDetailView(OfferCrumbs, DisposalMixin, TemplateView):
    template_name = "disposal/offer_detail.html"
    tab = "offers"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offer = get_object_or_404(ReuseOffer, engagement=self.engagement, pk=self.kwargs["pk"])
        context.update(offer_page_context(self, offer))
        return context


class OfferRequestView(OfferCrumbs, FormPostView):
    template_name = "disposal/offer_detail.html"
    tab = "offers"
    required_action = Action.ALLOCATE_REUSE
    form_name = "request_form"

    def get_object(self):
        return get_object_or_404(ReuseOffer, engagement=self.engagement, pk=self.kwargs["pk"])

    def form_class(self, *args, **kwargs):
        return RequestForm(*args, **kwargs)

    def form_kwargs(self, offer):
        return {"offer": offer}

    def page_context(self, obj, **forms):
        return offer_page_context(self, obj, **forms)

    @property
    def success_message(self):
        return _("The office's request was recorded.")

    def perform(self, form, offer):
        services.request_record(offer=offer, actor=self.request.user, **form.cleaned_data)
        return offer


class OfferAllocateView(DisposalMixin, View):
    required_action = Action.ALLOCATE_REUSE

    def post(self, request, *args, **kwargs):
        offer = get_object_or_404(ReuseOffer, engagement=self.engagement, pk=kwargs["pk"])
        item = get_object_or_404(offer.items.all(), pk=kwargs["item_pk"])
        value = request.POST.get("request", "")
        chosen = None
        if value:
            chosen = get_object_or_404(ReuseRequest, offer=offer, item=item, pk=posted_id(value))
        try:
            services.offer_allocate(offer=offer, actor=request.user, item=item, request=chosen)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(item)s was allocated to %(office)s.") % {
                "item": item, "office": chosen.office if chosen else _("no office")})
        return redirect(offer.get_absolute_url())


class OfferPdfView(DisposalMixin, View):
    def get(self, request, *args, **kwargs):
        offer = get_object_or_404(ReuseOffer, engagement=self.engagement, pk=kwargs["pk"])
        return file_response(pdf.offer_pdf(offer), filename=pdf.offer_download_name(offer, "pdf"),
                             fallback=f"offer-{offer.pk}.pdf", inline=True)


class OfferXlsxView(DisposalMixin, View):
    def get(self, request, *args, **kwargs):
        offer = get_object_or_404(ReuseOffer, engagement=self.engagement, pk=kwargs["pk"])
        return file_response(exports.offer_workbook(offer),
                             filename=pdf.offer_download_name(offer, "xlsx"),
                             fallback=f"offer-{offer.pk}.xlsx")


# --- Reconciliation and export -------------------------------------------------------------
class ReconciliationView(DisposalMixin, TemplateView):
    """What is still open?"""

    template_name = "disposal/reconciliation.html"
    tab = "reconciliation"
    crumb = gettext_lazy("What is still open?")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rec"] = selectors.reconciliation(self.engagement)
        return context


class ExportXlsxView(DisposalMixin, View):
    def get(self, request, *args, **kwargs):
        name, fallback = exports.workbook_download_name(self.engagement)
        return file_response(exports.disposal_workbook(self.engagement), filename=name,
                             fallback=fallback)

