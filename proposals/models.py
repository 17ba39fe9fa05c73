"""Proposals (提案): alternatives drawn on the surveyed floor plan, their figures and costs.

Everything belongs to one engagement: the furniture catalogue directly, the rest through its
proposal. An approved alternative keeps the names, prices and facts of its catalogue items as
they were approved (``LayoutItem.catalogue_name`` …), so editing the catalogue later changes
nothing approved. Layout items and zones share the survey's placement fields
(``PlacedItem``), so a layout can be copied from the survey or from another alternative
unchanged.
"""

import copy
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.concurrency import Versioned
from engagements.unique import UniqueMessagesMixin
from engagements.workflow import StatusChangeBase
from survey.models import PlacedItem

from .choices import (
    EDITABLE_STATUSES,
    AlternativeStatus,
    CatalogueKind,
    LayoutAction,
    SurveyFinding,
    TaxClass,
    WorkListKind,
    ZoneKind,
)


class CatalogueItem(UniqueMessagesMixin, Versioned, models.Model):
    """An item the contractor can propose: size, unit price without tax, and what it provides.

    Belongs to one engagement (a name once per engagement), edited by that engagement's
    administrators; ``proposals.services.catalogue_copy`` copies one engagement's catalogue
    into another.
    """

    unique_messages = {
        ("engagement", "name"): ("name", _("%(name)s is already in this engagement's "
                                           "catalogue.")),
    }

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="catalogue_items",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=CatalogueKind.choices)
    name = models.CharField(_("name"), max_length=100)
    maker = models.CharField(_("maker"), max_length=100, blank=True)
    model_number = models.CharField(_("model number"), max_length=100, blank=True)
    width_mm = models.PositiveIntegerField(
        _("width (mm)"), validators=[MinValueValidator(1), MaxValueValidator(50_000)]
    )
    depth_mm = models.PositiveIntegerField(
        _("depth (mm)"), validators=[MinValueValidator(1), MaxValueValidator(50_000)]
    )
    unit_price_yen = models.PositiveIntegerField(_("unit price without tax (yen)"))
    tax_class = models.CharField(
        _("tax class"), max_length=20, choices=TaxClass.choices, default=TaxClass.STANDARD
    )
    seats = models.PositiveSmallIntegerField(_("seats provided"), default=0)
    storage_fm = models.DecimalField(
        _("storage provided (fm)"), max_digits=6, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    outlets = models.PositiveSmallIntegerField(_("power outlets needed"), default=0)
    active = models.BooleanField(_("offered"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "name"],
                                    name="catalogueitem_unique_name_in_engagement"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def size_label(self) -> str:
        return f"W{self.width_mm}×D{self.depth_mm}"

    @property
    def label(self) -> str:
        """The name with its size, unless the name already gives the width."""
        if f"W{self.width_mm}" in self.name:
            return f"{self.name}（D{self.depth_mm}）"
        return f"{self.name} {self.size_label}"


class Proposal(UniqueMessagesMixin, Versioned, models.Model):
    """The contractor's proposal for an engagement: a title, a summary and its alternatives."""

    unique_messages = {
        ("engagement", "title"): (
            "title", _("A proposal titled %(title)s is already in this engagement."),
        ),
    }

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "title"], name="proposal_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


def default_min_aisle_mm() -> int:
    return int(settings.OFFICE_REFORM.get("MIN_AISLE_MM", 900))


class Alternative(UniqueMessagesMixin, Versioned, models.Model):
    """One layout alternative (案A, 案B …) of a proposal, with its status in the workflow.

    At most one alternative of a proposal is approved (a database constraint); an approved
    alternative is frozen. Status changes only through the services, which write a
    ``StatusChange`` row each.
    """

    unique_messages = {
        ("proposal", "label"): ("label", _("%(label)s is already in this proposal.")),
    }

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE,
        related_name="alternatives",
    )
    label = models.CharField(_("label"), max_length=20, help_text=_("For example 案A."))
    status = models.CharField(
        _("status"), max_length=20, choices=AlternativeStatus.choices,
        default=AlternativeStatus.DRAFT,
    )
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    rationale = models.TextField(_("rationale"), blank=True)
    min_aisle_mm = models.PositiveIntegerField(
        _("minimum aisle (mm)"), default=default_min_aisle_mm,
        validators=[MinValueValidator(300), MaxValueValidator(5000)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alternative")
        verbose_name_plural = _("alternatives")
        ordering = ["proposal", "label"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "label"], name="alternative_unique_label"),
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(status=AlternativeStatus.APPROVED),
                name="alternative_one_approved_per_proposal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} {self.label}"

    @property
    def engagement(self):
        return self.proposal.engagement

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_approved(self) -> bool:
        return self.status == AlternativeStatus.APPROVED

    def approved_sibling(self):
        """The other alternative of the proposal that is approved, if any."""
        return (
            Alternative.objects.filter(
                proposal_id=self.proposal_id, status=AlternativeStatus.APPROVED
            ).exclude(pk=self.pk).first()
        )

    def submit_blocked_by(self):
        """The approved alternative that keeps this draft or returned one from submission (the
        workflow refuses it then, so the page does not offer it and says why)."""
        if self.status not in (AlternativeStatus.DRAFT, AlternativeStatus.RETURNED):
            return None
        return self.approved_sibling()


class LayoutItem(PlacedItem):
    """One item of an alternative's layout, on the surveyed plan.

    Either a survey item (desk, furniture or storage unit: kept, moved or removed) or a new
    item from the catalogue; never both. The action of a survey item follows from its
    placement compared with the survey (set by the layout service).
    """

    alternative = models.ForeignKey(
        Alternative, verbose_name=_("alternative"), on_delete=models.CASCADE,
        related_name="items",
    )
    action = models.CharField(_("action"), max_length=10, choices=LayoutAction.choices)
    desk = models.ForeignKey(
        "survey.Desk", verbose_name=_("desk"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    furniture = models.ForeignKey(
        "survey.Furniture", verbose_name=_("furniture"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    storage_unit = models.ForeignKey(
        "survey.StorageUnit", verbose_name=_("storage unit"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    catalogue_item = models.ForeignKey(
        CatalogueItem, verbose_name=_("catalogue item"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    # The catalogue item as approved: written once by the approve service, read instead of
    # the catalogue for an approved alternative (empty name: not approved, read the catalogue).
    catalogue_name = models.CharField(_("name as approved"), max_length=100, blank=True)
    catalogue_unit_price_yen = models.PositiveIntegerField(
        _("unit price as approved without tax (yen)"), null=True, blank=True
    )
    catalogue_tax_class = models.CharField(
        _("tax class as approved"), max_length=20, choices=TaxClass.choices, blank=True
    )
    catalogue_kind = models.CharField(
        _("kind as approved"), max_length=30, choices=CatalogueKind.choices, blank=True
    )
    catalogue_seats = models.PositiveSmallIntegerField(_("seats as approved"), null=True,
                                                       blank=True)
    catalogue_storage_fm = models.DecimalField(
        _("storage as approved (fm)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    catalogue_outlets = models.PositiveSmallIntegerField(_("power outlets as approved"),
                                                         null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("layout item")
        verbose_name_plural = _("layout items")
        ordering = ["alternative", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(action=LayoutAction.NEW, catalogue_item__isnull=False, desk__isnull=True,
                      furniture__isnull=True, storage_unit__isnull=True)
                    | (
                        ~Q(action=LayoutAction.NEW) & Q(catalogue_item__isnull=True)
                        & (
                            Q(desk__isnull=False, furniture__isnull=True,
                              storage_unit__isnull=True)
                            | Q(desk__isnull=True, furniture__isnull=False,
                                storage_unit__isnull=True)
                            | Q(desk__isnull=True, furniture__isnull=True,
                                storage_unit__isnull=False)
                        )
                    )
                ),
                name="layoutitem_one_source",
            ),
            models.UniqueConstraint(
                fields=["alternative", "desk"], name="layoutitem_unique_desk",
                condition=Q(desk__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["alternative", "furniture"], name="layoutitem_unique_furniture",
                condition=Q(furniture__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["alternative", "storage_unit"], name="layoutitem_unique_storage",
                condition=Q(storage_unit__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.source)

    @property
    def source(self):
        return self.desk or self.furniture or self.storage_unit or self.catalogue_item

    # The catalogue's fields an approved alternative keeps (its cost and its figures).
    FROZEN_CATALOGUE = {"name": "catalogue_name", "unit_price_yen": "catalogue_unit_price_yen",
                        "tax_class": "catalogue_tax_class", "kind": "catalogue_kind",
                        "seats": "catalogue_seats", "storage_fm": "catalogue_storage_fm",
                        "outlets": "catalogue_outlets"}

    @property
    def catalogue_entry(self) -> CatalogueItem | None:
        """The catalogue item as this row shows it: as approved once the alternative is
        approved (name, price, tax class, kind, seats, storage, outlets; a copy in memory,
        never saved), else as the catalogue has it now."""
        entry = self.catalogue_item
        if entry is None or not self.catalogue_name:
            return entry
        frozen = copy.copy(entry)
        for name, snapshot in self.FROZEN_CATALOGUE.items():
            value = getattr(self, snapshot)
            if value not in (None, ""):
                setattr(frozen, name, value)
        return frozen

    def freeze_catalogue(self) -> list[str]:
        """Copy the catalogue item's fields onto the row (on approval); returns the fields
        set, for ``update_fields``."""
        entry = self.catalogue_item
        if entry is None:
            return []
        for name, snapshot in self.FROZEN_CATALOGUE.items():
            setattr(self, snapshot, getattr(entry, name))
        return list(self.FROZEN_CATALOGUE.values())

    @property
    def plan_label(self) -> str:
        """The label on the plan and in warnings: the catalogue name, or the survey item."""
        if self.catalogue_item_id:
            return self.catalogue_entry.name
        return str(self.desk or self.furniture or self.storage_unit)

    @property
    def source_key(self) -> str:
        """``desk:12`` etc. for survey items; empty for new items."""
        for name in ("desk", "furniture", "storage_unit"):
            pk = getattr(self, f"{name}_id")
            if pk:
                return f"{name}:{pk}"
        return ""

    def clean(self) -> None:
        super().clean()
        has_survey = bool(self.desk_id or self.furniture_id or self.storage_unit_id)
        if self.action == LayoutAction.NEW and (not self.catalogue_item_id or has_survey):
            raise ValidationError(_("A new item must come from the catalogue."))
        if self.action != LayoutAction.NEW and (self.catalogue_item_id or not has_survey):
            raise ValidationError(_("Only survey items can be kept, moved or removed."))
        if (self.catalogue_item_id and self.engagement_id
                and self.catalogue_item.engagement_id != self.engagement_id):
            raise ValidationError(_("Choose an item of this engagement's catalogue."))


class Zone(PlacedItem):
    """An area of the alternative (集中ブース, Web会議ブース …) with a name and a capacity."""

    alternative = models.ForeignKey(
        Alternative, verbose_name=_("alternative"), on_delete=models.CASCADE,
        related_name="zones",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ZoneKind.choices)
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=0, validators=[MaxValueValidator(500)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["alternative", "pk"]

    def __str__(self) -> str:
        return self.name


class WorksLine(models.Model):
    """A works cost of an alternative (配線工事, 搬入・組立, 撤去 …): integer yen without tax."""

    alternative = models.ForeignKey(
        Alternative, verbose_name=_("alternative"), on_delete=models.CASCADE,
        related_name="works_lines",
    )
    description = models.CharField(_("description"), max_length=200)
    amount_yen = models.PositiveIntegerField(_("amount without tax (yen)"))
    tax_class = models.CharField(
        _("tax class"), max_length=20, choices=TaxClass.choices, default=TaxClass.STANDARD
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("works line")
        verbose_name_plural = _("works lines")
        ordering = ["alternative", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.description


class ProposalSection(models.Model):
    """A section of an alternative: what it proposes and the survey finding it answers."""

    alternative = models.ForeignKey(
        Alternative, verbose_name=_("alternative"), on_delete=models.CASCADE,
        related_name="sections",
    )
    heading = models.CharField(_("heading"), max_length=200)
    finding = models.CharField(
        _("survey finding answered"), max_length=30, choices=SurveyFinding.choices
    )
    rationale = models.TextField(_("rationale"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal section")
        verbose_name_plural = _("proposal sections")
        ordering = ["alternative", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.heading


class StatusChange(StatusChangeBase):
    """One transition of an alternative: who moved it from which status to which, and why
    (the status-change row every workflow writes, ``engagements.workflow``)."""

    alternative = models.ForeignKey(
        Alternative, verbose_name=_("alternative"), on_delete=models.CASCADE,
        related_name="status_changes",
    )
    old_status = models.CharField(
        _("from"), max_length=20, choices=AlternativeStatus.choices, blank=True
    )
    new_status = models.CharField(_("to"), max_length=20, choices=AlternativeStatus.choices)
    history = HistoricalRecords()

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.get_old_status_display()} → {self.get_new_status_display()}"

    @property
    def is_approval(self) -> bool:
        return self.new_status == AlternativeStatus.APPROVED


class WorkListItem(models.Model):
    """A line of the work lists produced on approval, for procurement and disposal.

    ``procure``: a catalogue item and the quantity to buy. ``dispose``: one survey item the
    approved layout removes (to be scrapped or transferred).
    """

    alternative = models.ForeignKey(
        Alternative, verbose_name=_("alternative"), on_delete=models.CASCADE,
        related_name="work_list",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=WorkListKind.choices)
    catalogue_item = models.ForeignKey(
        CatalogueItem, verbose_name=_("catalogue item"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price_yen = models.PositiveIntegerField(_("unit price without tax (yen)"), default=0)
    desk = models.ForeignKey(
        "survey.Desk", verbose_name=_("desk"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    furniture = models.ForeignKey(
        "survey.Furniture", verbose_name=_("furniture"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    storage_unit = models.ForeignKey(
        "survey.StorageUnit", verbose_name=_("storage unit"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    description = models.CharField(_("description"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work list item")
        verbose_name_plural = _("work list items")
        ordering = ["alternative", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=WorkListKind.PROCURE, catalogue_item__isnull=False)
                    | (Q(kind=WorkListKind.DISPOSE, catalogue_item__isnull=True)
                       & (Q(desk__isnull=False) | Q(furniture__isnull=False)
                          | Q(storage_unit__isnull=False)))
                ),
                name="worklistitem_kind_matches_source",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def amount_yen(self) -> int:
        return self.quantity * self.unit_price_yen
