"""Disposal and transfer (廃棄・移設): every item the approved layout removes, and its outcome.

A ``DisposalItem`` is one surveyed desk, furniture or storage unit removed by the approved
alternative (or an item added by hand, with a reason). The contractor proposes an outcome,
the city decides it (不用決定); the item then reaches its final state through a ``Transfer``
(receipt recorded), a ``Manifest`` (copy E back), a sale, or is kept in use.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.concurrency import Versioned
from engagements.files import EngagementUploadTo
from engagements.unique import UniqueMessagesMixin
from engagements.uploads import Kind, UploadValidator
from engagements.workflow import StatusChangeBase
from survey.choices import Condition

from .choices import (
    FINAL_STATUSES,
    MATERIAL_WASTE_CLASS,
    ItemSource,
    ItemStatus,
    ManifestForm,
    ManifestStatus,
    Material,
    OperatorRole,
    Outcome,
    RequestStatus,
    TransferStatus,
    WasteClass,
)

USER = settings.AUTH_USER_MODEL
PDF_OR_IMAGE = UploadValidator(Kind.PDF, Kind.IMAGE)
IMAGE_ONLY = UploadValidator(Kind.IMAGE)


def _setting(name: str, default: int) -> int:
    return int(settings.OFFICE_REFORM.get(name, default))


def city_unit_q() -> models.Q:
    """Organisations an item may be transferred to: units of the city, not companies."""
    from engagements.choices import OrganisationKind

    return ~models.Q(kind__in=[OrganisationKind.COMPANY, OrganisationKind.CITY])


class Transfer(Versioned):
    """One move of items to another section or office (所管換): planned, carried out (搬出),
    received (受領). Its items count as transferred only once the receipt is recorded."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="disposal_transfers",
    )
    destination = models.ForeignKey(
        "engagements.Organisation", verbose_name=_("destination office"),
        on_delete=models.PROTECT, related_name="+",
    )
    destination_section = models.CharField(_("receiving section"), max_length=200, blank=True)
    contact_name = models.CharField(_("receiving contact"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    planned_on = models.DateField(_("planned date"))
    status = models.CharField(_("stage status"), max_length=20, choices=TransferStatus.choices,
                              default=TransferStatus.PLANNED)
    carried_out_on = models.DateField(_("carried out on"), null=True, blank=True)
    carry_out_photo = models.ImageField(
        _("photo of the carrying out"), upload_to=EngagementUploadTo("disposal/carry_out"),
        blank=True, validators=[IMAGE_ONLY],
    )
    received_by_name = models.CharField(_("received by"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    signed_receipt = models.FileField(
        _("signed receipt (scan)"), upload_to=EngagementUploadTo("disposal/receipts"),
        blank=True, validators=[PDF_OR_IMAGE],
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        section = f" {self.destination_section}" if self.destination_section else ""
        return f"{self.destination}{section}（{self.planned_on:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("disposal:transfer_detail", args=[self.engagement_id, self.pk])


    def clean(self) -> None:
        errors = {}
        if self.destination_id and not type(self.destination).objects.filter(
            city_unit_q(), pk=self.destination_id
        ).exists():
            errors["destination"] = _("Choose an office or section of the city.")
        if self.received_on and self.carried_out_on and self.received_on < self.carried_out_on:
            errors["received_on"] = _("The receipt cannot be before the carrying out.")
        if errors:
            raise ValidationError(errors)


class TransferStatusChange(StatusChangeBase):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE,
                                 related_name="status_changes")


class WasteOperator(models.Model):
    """A licensed waste collector (収集運搬業者) or disposer (処分業者) and the written contract
    with it. A licence runs 5 years (7 for an 優良認定 operator)."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="waste_operators",
    )
    name = models.CharField(_("company name"), max_length=200)
    role = models.CharField(_("operator role"), max_length=20, choices=OperatorRole.choices)
    licence_number = models.CharField(_("licence number"), max_length=50)
    licence_issuer = models.CharField(
        _("licence issuer"), max_length=100,
        help_text=_("The prefecture, or the mayor of a designated city such as Kyoto."),
    )
    licence_issued_on = models.DateField(_("licence issued on"), null=True, blank=True)
    licence_expires_on = models.DateField(_("licence expires on"))
    excellent = models.BooleanField(_("certified excellent operator"), default=False)
    contract_file = models.FileField(
        _("disposal contract"), upload_to=EngagementUploadTo("disposal/contracts"),
        blank=True, validators=[PDF_OR_IMAGE],
    )
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("waste operator")
        verbose_name_plural = _("waste operators")
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    def licence_years(self) -> int:
        if self.excellent:
            return _setting("WASTE_LICENCE_YEARS_EXCELLENT", 7)
        return _setting("WASTE_LICENCE_YEARS", 5)

    def licence_valid_on(self, day: dt.date) -> bool:
        return self.licence_expires_on is not None and day <= self.licence_expires_on

    def clean(self) -> None:
        issued, expires = self.licence_issued_on, self.licence_expires_on
        if issued and expires:
            years = self.licence_years()
            try:
                limit = issued.replace(year=issued.year + years)
            except ValueError:  # 29 February
                limit = issued.replace(year=issued.year + years, day=28)
            if expires <= issued:
                raise ValidationError(
                    {"licence_expires_on": _("The licence cannot expire before it is issued.")}
                )
            if expires > limit:
                raise ValidationError({"licence_expires_on": _(
                    "A licence runs at most %(years)s years: it expires by %(limit)s."
                ) % {"years": years, "limit": limit.isoformat()}})


class Manifest(UniqueMessagesMixin, Versioned):
    """One industrial-waste manifest (産業廃棄物管理票). Copies B2 and D are due back within
    90 days of issue, E within 180; its items count as scrapped only when E is back (for an
    electronic manifest: when the final disposal is reported)."""

    unique_messages = {
        ("engagement", "number"): (
            "number", _("Manifest number %(number)s is already recorded in this engagement."),
        ),
    }

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="manifests",
    )
    number = models.CharField(_("manifest number"), max_length=30)
    issued_on = models.DateField(_("issue date"))
    form = models.CharField(_("form"), max_length=12, choices=ManifestForm.choices,
                            default=ManifestForm.PAPER)
    collector = models.ForeignKey(
        WasteOperator, verbose_name=_("collector"), on_delete=models.PROTECT, related_name="+",
    )
    disposer = models.ForeignKey(
        WasteOperator, verbose_name=_("disposer"), on_delete=models.PROTECT, related_name="+",
    )
    collected_on = models.DateField(_("collection date"))
    b2_returned_on = models.DateField(_("B2 returned on"), null=True, blank=True)
    d_returned_on = models.DateField(_("D returned on"), null=True, blank=True)
    e_returned_on = models.DateField(_("E returned on"), null=True, blank=True)
    certificate = models.FileField(
        _("disposal certificate"), upload_to=EngagementUploadTo("disposal/certificates"),
        blank=True, validators=[PDF_OR_IMAGE],
    )
    status = models.CharField(_("stage status"), max_length=12, choices=ManifestStatus.choices,
                              default=ManifestStatus.ISSUED)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("manifest")
        verbose_name_plural = _("manifests")
        ordering = ["issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "number"],
                                    name="manifest_unique_number"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("disposal:manifest_detail", args=[self.engagement_id, self.pk])


    def clean(self) -> None:
        errors = {}
        issued = self.issued_on
        for name in ("b2_returned_on", "d_returned_on", "e_returned_on", "collected_on"):
            value = getattr(self, name)
            if value and issued and value < issued:
                errors[name] = _("This date cannot be before the issue date.")
        if self.e_returned_on and self.d_returned_on and self.e_returned_on < self.d_returned_on:
            errors.setdefault("e_returned_on", _("E cannot come back before D."))
        if self.e_returned_on and not self.d_returned_on:
            errors.setdefault("d_returned_on", _("Enter the date D came back before E."))
        if self.collector_id and self.collector.role != OperatorRole.COLLECTOR:
            errors["collector"] = _("Choose a collector and transporter.")
        if self.disposer_id and self.disposer.role != OperatorRole.DISPOSER:
            errors["disposer"] = _("Choose a disposer.")
        if self.collected_on:
            for name in ("collector", "disposer"):
                if getattr(self, f"{name}_id"):
                    operator = getattr(self, name)
                    if not operator.licence_valid_on(self.collected_on):
                        errors.setdefault(name, _(
                            "The licence of %(operator)s expired on %(expiry)s, before the "
                            "collection date."
                        ) % {"operator": operator.name,
                             "expiry": operator.licence_expires_on.isoformat()})
        if errors:
            raise ValidationError(errors)


class ManifestStatusChange(StatusChangeBase):
    manifest = models.ForeignKey(Manifest, on_delete=models.CASCADE,
                                 related_name="status_changes")


class DisposalItem(UniqueMessagesMixin, Versioned):
    """One item the new layout no longer needs, and the one outcome it ends in."""

    unique_messages = {
        ("engagement", "source", "number"): (
            "number", _("Item number %(number)s is already in this engagement."),
        ),
    }

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="disposal_items",
    )
    source = models.CharField(_("source"), max_length=12, choices=ItemSource.choices)
    desk = models.ForeignKey("survey.Desk", verbose_name=_("desk"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="+")
    furniture = models.ForeignKey("survey.Furniture", verbose_name=_("furniture"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    storage_unit = models.ForeignKey("survey.StorageUnit", verbose_name=_("storage unit"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    number = models.CharField(_("number"), max_length=30)
    name = models.CharField(_("item"), max_length=200)
    size = models.CharField(_("size"), max_length=60, blank=True)
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices,
                                 blank=True)
    year = models.PositiveSmallIntegerField(
        _("year of purchase"), null=True, blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    asset_number = models.CharField(_("asset number"), max_length=50, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1,
                                           validators=[MinValueValidator(1)])
    material = models.CharField(_("material"), max_length=20, choices=Material.choices,
                                default=Material.STEEL)
    photo = models.ImageField(_("photo"), upload_to=EngagementUploadTo("disposal/items"),
                              blank=True, validators=[IMAGE_ONLY])
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why an item added by hand is disposed of."),
    )
    on_work_list = models.BooleanField(_("on the approved work list"), default=True)
    status = models.CharField(_("stage status"), max_length=12, choices=ItemStatus.choices,
                              default=ItemStatus.NEW)
    # The contractor's proposal
    proposed_outcome = models.CharField(_("proposed outcome"), max_length=10,
                                        choices=Outcome.choices, blank=True)
    proposal_note = models.TextField(_("proposal note"), blank=True)
    # The city's decision (不用決定 for transfer, scrap, sale)
    outcome = models.CharField(_("decided outcome"), max_length=10, choices=Outcome.choices,
                               blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, verbose_name=_("decided by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decision_document = models.CharField(_("decision document number"), max_length=60,
                                         blank=True)
    allocated_to = models.ForeignKey(
        "engagements.Organisation", verbose_name=_("allocated to"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    transfer = models.ForeignKey(Transfer, verbose_name=_("transfer"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="items")
    # Scrap
    waste_class = models.CharField(_("waste class"), max_length=20,
                                   choices=WasteClass.choices, blank=True)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=8, decimal_places=1,
                                    null=True, blank=True,
                                    validators=[MinValueValidator(Decimal("0"))])
    weight_weighed = models.BooleanField(_("weighed (not estimated)"), default=False)
    manifest = models.ForeignKey(Manifest, verbose_name=_("manifest"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="items")
    # Sale
    buyer = models.CharField(_("buyer"), max_length=200, blank=True)
    sale_price_yen = models.PositiveIntegerField(_("sale price (yen)"), null=True, blank=True)
    sold_on = models.DateField(_("sale date"), null=True, blank=True)
    sale_receipt = models.FileField(
        _("sale receipt"), upload_to=EngagementUploadTo("disposal/sales"), blank=True,
        validators=[PDF_OR_IMAGE],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disposal item")
        verbose_name_plural = _("disposal items")
        ordering = ["source", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "source", "number"],
                                    name="disposalitem_unique_number"),
            models.CheckConstraint(
                condition=~models.Q(source=ItemSource.MANUAL) | ~models.Q(reason=""),
                name="disposalitem_manual_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("disposal:item_detail", args=[self.engagement_id, self.pk])

    @property
    def source_key(self) -> str:
        """``desk:12``: the survey item this disposal item stands for (diffs match on it)."""
        target = self.desk_id or self.furniture_id or self.storage_unit_id
        return f"{self.source}:{target}" if target else ""


    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def derived_waste_class(self) -> str:
        return MATERIAL_WASTE_CLASS.get(self.material, "")

    @property
    def work_started(self) -> bool:
        """Something physical happened: it may no longer silently leave the list."""
        return bool(
            self.is_final
            or (self.transfer_id and self.transfer.status != TransferStatus.PLANNED)
            or self.manifest_id or self.sold_on
        )

    @property
    def open_reason(self) -> str:
        """What the item still waits for, in words ("" when final or withdrawn)."""
        if self.status in FINAL_STATUSES or self.status == ItemStatus.WITHDRAWN:
            return ""
        if self.status == ItemStatus.NEW:
            return str(_("No outcome proposed"))
        if self.status == ItemStatus.PROPOSED:
            return str(_("No decision"))
        if self.outcome == Outcome.TRANSFER:
            if not self.transfer_id:
                return str(_("No transfer planned"))
            return str(_("No receipt"))
        if self.outcome == Outcome.SCRAP:
            if not self.manifest_id:
                return str(_("No manifest"))
            return str(_("Manifest copies outstanding"))
        if self.outcome == Outcome.SALE:
            return str(_("Sale not recorded"))
        return ""

    def clean(self) -> None:
        errors = {}
        if self.source == ItemSource.MANUAL and not (self.reason or "").strip():
            errors["reason"] = _("Say why this item, which the survey did not list, goes.")
        if errors:
            raise ValidationError(errors)


class DisposalItemStatusChange(StatusChangeBase):
    item = models.ForeignKey(DisposalItem, on_delete=models.CASCADE,
                             related_name="status_changes")


class ReuseOffer(models.Model):
    """The offer list circulated to the ward offices first (庁内リユース)."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="reuse_offers",
    )
    title = models.CharField(_("title"), max_length=200)
    circulated_on = models.DateField(_("circulated on"))
    respond_by = models.DateField(_("answers wanted by"))
    items = models.ManyToManyField(DisposalItem, verbose_name=_("items offered"),
                                   related_name="offers")
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reuse offer")
        verbose_name_plural = _("reuse offers")
        ordering = ["-circulated_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disposal:offer_detail", args=[self.engagement_id, self.pk])

    def clean(self) -> None:
        if self.respond_by and self.circulated_on and self.respond_by < self.circulated_on:
            raise ValidationError(
                {"respond_by": _("Answers cannot be due before the offer is circulated.")}
            )


class ReuseRequest(UniqueMessagesMixin, models.Model):
    """One office's request for one offered item: how many, wanted by when."""

    unique_messages = {
        ("offer", "office", "item"): (
            "office", _("The request of %(office)s for this item is already recorded."),
        ),
    }

    offer = models.ForeignKey(ReuseOffer, verbose_name=_("offer"), on_delete=models.CASCADE,
                              related_name="requests")
    office = models.ForeignKey("engagements.Organisation", verbose_name=_("requesting office"),
                               on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(DisposalItem, verbose_name=_("item"), on_delete=models.CASCADE,
                             related_name="reuse_requests")
    quantity = models.PositiveIntegerField(_("quantity wanted"), default=1,
                                           validators=[MinValueValidator(1)])
    wanted_by = models.DateField(_("wanted by"), null=True, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    status = models.CharField(_("stage status"), max_length=12, choices=RequestStatus.choices,
                              default=RequestStatus.REQUESTED)
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reuse request")
        verbose_name_plural = _("reuse requests")
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "office", "item"],
                                    name="reuserequest_one_per_office_item"),
        ]

    def __str__(self) -> str:
        return f"{self.office} → {self.item}"



class ReuseRequestStatusChange(StatusChangeBase):
    """The city's allocation of an offered item: which office's request got it, which not."""

    request = models.ForeignKey(ReuseRequest, on_delete=models.CASCADE,
                                related_name="status_changes")
