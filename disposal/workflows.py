"""The status machines of the disposal stage, all through ``engagements.workflow``.

Item: 未提案 → 提案済 → 決定済 → 移設済 / 廃棄済 / 売却済, or 継続使用. The final moves are made by
the services that record their evidence (the receipt, copy E, the sale) and are checked again
here on the locked row, so no page can mark an item done without it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from engagements.permissions import Action
from engagements.workflow import Transition, Workflow

from .choices import ItemStatus, ManifestStatus, Outcome, RequestStatus, TransferStatus
from .models import (
    DisposalItem,
    DisposalItemStatusChange,
    Manifest,
    ManifestStatusChange,
    ReuseRequest,
    ReuseRequestStatusChange,
    Transfer,
    TransferStatusChange,
)


def _needs_outcome(outcome):
    def check(item):
        if item.outcome != outcome:
            raise ValidationError(_("The decided outcome of %(item)s is not this one.")
                                  % {"item": item})
    return check


def _received(item):
    _needs_outcome(Outcome.TRANSFER)(item)
    if item.transfer_id is None or item.transfer.status != TransferStatus.RECEIVED:
        raise ValidationError(_("%(item)s counts as transferred only once the receipt is "
                                "recorded.") % {"item": item})


def _e_back(item):
    _needs_outcome(Outcome.SCRAP)(item)
    if item.manifest_id is None or item.manifest.e_returned_on is None:
        raise ValidationError(_("%(item)s counts as scrapped only once copy E of its manifest "
                                "is back.") % {"item": item})


def _sale_recorded(item):
    _needs_outcome(Outcome.SALE)(item)
    if not (item.buyer and item.sale_price_yen is not None and item.sold_on):
        raise ValidationError(_("Record the buyer, the price and the date of the sale."))


def _nothing_started(item):
    if item.work_started:
        raise ValidationError(_("%(item)s has already been moved, handed over or sold: it "
                                "stays.") % {"item": item})


ITEM_WORKFLOW = Workflow(
    model=DisposalItem,
    log_model=DisposalItemStatusChange,
    log_fk="item",
    transitions={
        (ItemStatus.NEW, ItemStatus.PROPOSED): Transition(
            Action.EDIT_DISPOSAL, _("Propose the outcome")),
        (ItemStatus.PROPOSED, ItemStatus.NEW): Transition(
            Action.DECIDE_DISPOSAL, _("Return the proposal"), comment_required=True,
            style="warning"),
        (ItemStatus.PROPOSED, ItemStatus.DECIDED): Transition(
            Action.DECIDE_DISPOSAL, _("Decide (unneeded)"), style="success"),
        (ItemStatus.PROPOSED, ItemStatus.KEPT): Transition(
            Action.DECIDE_DISPOSAL, _("Decide: keep in use"), style="success"),
        # A decided item changes only by the city, with a reason.
        (ItemStatus.DECIDED, ItemStatus.DECIDED): Transition(
            Action.REVISE_DISPOSAL_DECISION, _("Change the decision"), comment_required=True,
            style="warning", check=_nothing_started),
        (ItemStatus.DECIDED, ItemStatus.KEPT): Transition(
            Action.REVISE_DISPOSAL_DECISION, _("Change the decision"), comment_required=True,
            style="warning", check=_nothing_started),
        (ItemStatus.KEPT, ItemStatus.DECIDED): Transition(
            Action.REVISE_DISPOSAL_DECISION, _("Change the decision"), comment_required=True,
            style="warning"),
        (ItemStatus.DECIDED, ItemStatus.TRANSFERRED): Transition(
            Action.EDIT_DISPOSAL, _("Mark transferred"), check=_received),
        (ItemStatus.DECIDED, ItemStatus.SCRAPPED): Transition(
            Action.EDIT_DISPOSAL, _("Mark scrapped"), check=_e_back),
        (ItemStatus.DECIDED, ItemStatus.SOLD): Transition(
            Action.EDIT_DISPOSAL, _("Mark sold"), check=_sale_recorded),
        # The approved layout changed: an item no longer removed leaves the stage, unless
        # something has already happened to it; it comes back if the layout removes it again.
        (ItemStatus.NEW, ItemStatus.WITHDRAWN): Transition(
            Action.EDIT_DISPOSAL, _("Take out of the stage"), style="secondary",
            check=_nothing_started),
        (ItemStatus.PROPOSED, ItemStatus.WITHDRAWN): Transition(
            Action.EDIT_DISPOSAL, _("Take out of the stage"), style="secondary",
            check=_nothing_started),
        (ItemStatus.DECIDED, ItemStatus.WITHDRAWN): Transition(
            Action.EDIT_DISPOSAL, _("Take out of the stage"), style="secondary",
            check=_nothing_started),
        (ItemStatus.WITHDRAWN, ItemStatus.NEW): Transition(
            Action.EDIT_DISPOSAL, _("Take back into the stage")),
    },
)


def _carried_out(transfer):
    if not transfer.items.exists():
        raise ValidationError(_("The transfer has no items."))


TRANSFER_WORKFLOW = Workflow(
    model=Transfer,
    log_model=TransferStatusChange,
    log_fk="transfer",
    transitions={
        (TransferStatus.PLANNED, TransferStatus.CARRIED_OUT): Transition(
            Action.EDIT_DISPOSAL, _("Record the carrying out"), check=_carried_out),
        (TransferStatus.CARRIED_OUT, TransferStatus.RECEIVED): Transition(
            Action.EDIT_DISPOSAL, _("Record the receipt"), style="success"),
        # Before anything left the site: the office withdrew, the date fell through.
        (TransferStatus.PLANNED, TransferStatus.CANCELLED): Transition(
            Action.EDIT_DISPOSAL, _("Cancel the transfer"), comment_required=True,
            style="outline-danger", comment_message=_("Say why the transfer is cancelled.")),
    },
)


def _e_recorded(manifest):
    if manifest.e_returned_on is None:
        raise ValidationError(_("Copy E has not come back."))


MANIFEST_WORKFLOW = Workflow(
    model=Manifest,
    log_model=ManifestStatusChange,
    log_fk="manifest",
    transitions={
        (ManifestStatus.ISSUED, ManifestStatus.COMPLETED): Transition(
            Action.EDIT_DISPOSAL, _("Complete"), check=_e_recorded),
    },
)


_ALLOCATE = Transition(Action.ALLOCATE_REUSE, _("Allocate"), style="success")
_DECLINE = Transition(Action.ALLOCATE_REUSE, _("Do not allocate"), style="outline-secondary")

# An office's request for an offered item: the city allocates the item to one request and
# declines the others; it may change its mind while the item is not decided.
REQUEST_WORKFLOW = Workflow(
    model=ReuseRequest,
    log_model=ReuseRequestStatusChange,
    log_fk="request",
    engagement_of=lambda request: request.offer.engagement,
    transitions={
        (RequestStatus.REQUESTED, RequestStatus.ALLOCATED): _ALLOCATE,
        (RequestStatus.DECLINED, RequestStatus.ALLOCATED): _ALLOCATE,
        (RequestStatus.REQUESTED, RequestStatus.DECLINED): _DECLINE,
        (RequestStatus.ALLOCATED, RequestStatus.DECLINED): _DECLINE,
    },
)
