"""Procurement, installation and cabling (調達・設置・配線).

A ``ProcurementPlan`` is copied from the approved alternative's work list: one ``PlanLine``
per catalogue item, and one ``Position`` per unit placed on the approved layout (its
coordinates copied, so the plan stays as adopted). A position carries its unit through
未手配 → 発注済 → 納品済 → 設置済 → 検収済, so a line's quantities per state are counts of its
positions (3 of 5 delivered). Surveyed desks the layout keeps or moves are positions too, with
no line: they need cabling only.

Orders are drafted from plan lines, quoted by several suppliers, compared, and issued from the
chosen quote. The city inspects (検収); a point raised (指摘) is corrected (是正) and inspected
again. Cabling: what each position requires, what was installed (``Connection``), the OA taps
that feed the positions. Every model keeps its history (who, when, before/after).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagements.concurrency import Versioned
from engagements.files import EngagementUploadTo
from engagements.unique import UniqueMessagesMixin
from engagements.uploads import Kind, UploadValidator
from engagements.workflow import StatusChangeBase

from .choices import (
    CableCategory,
    ConnectionKind,
    FindingStatus,
    OrderStatus,
    PositionKind,
    PositionStatus,
)

USER = settings.AUTH_USER_MODEL


class ProcurementPlan(Versioned):
    """The engagement's procurement plan, adopted from an approved alternative."""

    engagement = models.OneToOneField(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="procurement_plan",
    )
    alternative = models.ForeignKey(
        "proposals.Alternative", verbose_name=_("approved alternative"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    budget_yen = models.PositiveBigIntegerField(
        _("furniture budget with tax (yen)"), null=True, blank=True
    )
    adopted_at = models.DateTimeField(_("adopted at"), auto_now_add=True)
    adopted_by = models.ForeignKey(USER, verbose_name=_("adopted by"), on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("procurement plan")
        verbose_name_plural = _("procurement plans")

    def __str__(self) -> str:
        return str(_("Procurement plan"))


class PlanLine(Versioned):
    """One catalogue item to buy, with the proposal's unit price as the budget reference."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="+",
    )
    plan = models.ForeignKey(ProcurementPlan, verbose_name=_("procurement plan"),
                             on_delete=models.CASCADE, related_name="lines")
    catalogue_item = models.ForeignKey(
        "proposals.CatalogueItem", verbose_name=_("catalogue item"), on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("item"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    budget_unit_price_yen = models.PositiveIntegerField(
        _("unit price in the proposal without tax (yen)"), default=0
    )
    height_mm = models.PositiveIntegerField(
        _("height (mm)"), null=True, blank=True,
        help_text=_("Storage at or above the anchoring height must be anchored before it is "
                    "marked installed."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["plan", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "catalogue_item"],
                                    name="planline_one_per_catalogue_item"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def budget_amount_yen(self) -> int:
        return self.quantity * self.budget_unit_price_yen

    @property
    def is_tall(self) -> bool:
        limit = settings.OFFICE_REFORM["PROCUREMENT"]["TALL_STORAGE_MM"]
        return self.height_mm is not None and self.height_mm >= limit


class OATap(UniqueMessagesMixin, models.Model):
    """An OA tap (or wall outlet) feeding some positions, rated 1,500 W at 100 V/15 A."""

    unique_messages = {
        ("engagement", "label"): (
            "label", _("OA tap %(label)s is already in this engagement."),
        ),
    }

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="+",
    )
    label = models.CharField(_("tap label"), max_length=50)
    rating_w = models.PositiveIntegerField(_("rating (W)"), default=1500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("OA tap")
        verbose_name_plural = _("OA taps")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "label"], name="oatap_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Supplier(UniqueMessagesMixin, models.Model):
    """A company this engagement deals with (quotes, installation and cabling work).

    The company is an ``engagements.Organisation`` of kind company; this row makes it one of
    *this* engagement's suppliers, and only those are offered in its forms. A name is a
    supplier once per engagement (``name_key``: the name with widths and spaces normalised,
    a database constraint, so two simultaneous adds give one row).
    """

    unique_messages = {
        ("engagement", "name_key"): (
            "name", _("%(name_key)s is already a supplier of this engagement."),
        ),
        ("engagement", "organisation"): (
            "name", _("%(organisation)s is already a supplier of this engagement."),
        ),
    }

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "engagements.Organisation", verbose_name=_("company"), on_delete=models.PROTECT,
        related_name="+",
    )
    name_key = models.CharField(_("name (normalised)"), max_length=200, editable=False)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["engagement", "name_key"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "name_key"],
                                    name="supplier_unique_name_in_engagement"),
            models.UniqueConstraint(fields=["engagement", "organisation"],
                                    name="supplier_unique_company_in_engagement"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Order(Versioned):
    """An order (発注): drafted with its lines, quoted, then issued from the chosen quote."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("subject"), max_length=200)
    number = models.CharField(_("order number"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices,
                              default=OrderStatus.DRAFT)
    chosen_quote = models.ForeignKey(
        "Quote", verbose_name=_("chosen quote"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    choice_reason = models.TextField(_("reason for the choice"), blank=True)
    ordered_on = models.DateField(_("order date"), null=True, blank=True)
    delivery_due = models.DateField(_("delivery date"), null=True, blank=True)
    delivery_place = models.CharField(_("place of delivery"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "number"], condition=~Q(number=""),
                                    name="order_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("procurement:order_detail", args=[self.engagement_id, self.pk])

    def clean(self) -> None:
        if self.ordered_on and self.delivery_due and self.delivery_due < self.ordered_on:
            raise ValidationError(
                {"delivery_due": _("The delivery date cannot be before the order date.")})


class OrderLine(models.Model):
    order = models.ForeignKey(Order, verbose_name=_("purchase order"), on_delete=models.CASCADE,
                              related_name="lines")
    plan_line = models.ForeignKey(PlanLine, verbose_name=_("plan line"),
                                  on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "plan_line__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "plan_line"], name="orderline_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_line} × {self.quantity}"


class Quote(Versioned):
    """A supplier's quote (見積) for an order's lines; prices stored without tax."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="+",
    )
    order = models.ForeignKey(Order, verbose_name=_("purchase order"), on_delete=models.CASCADE,
                              related_name="quotes")
    supplier = models.ForeignKey(
        "engagements.Organisation", verbose_name=_("supplier"), on_delete=models.PROTECT,
        related_name="+",
    )
    quoted_on = models.DateField(_("quote date"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    tax_included = models.BooleanField(
        _("prices on the quote include tax"), default=False,
        help_text=_("Prices are stored without tax; prices including tax are converted."),
    )
    file = models.FileField(_("quote file (PDF or image)"),
                            upload_to=EngagementUploadTo("procurement/quotes"), blank=True,
                            validators=[UploadValidator(Kind.PDF, Kind.IMAGE)])
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("entered by"), on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.supplier.name}（{self.quoted_on:%Y-%m-%d}）"

    def clean(self) -> None:
        if self.valid_until and self.valid_until < self.quoted_on:
            raise ValidationError(
                {"valid_until": _("The quote cannot expire before its date.")})


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, verbose_name=_("quote"), on_delete=models.CASCADE,
                              related_name="lines")
    order_line = models.ForeignKey(OrderLine, verbose_name=_("order line"),
                                   on_delete=models.CASCADE, related_name="quote_lines")
    unit_price_yen = models.PositiveIntegerField(_("unit price without tax (yen)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        constraints = [
            models.UniqueConstraint(fields=["quote", "order_line"], name="quoteline_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order_line.plan_line}: {self.unit_price_yen}"


class Position(Versioned):
    """One unit at its position on the approved plan, or a kept desk needing cabling only."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="+",
    )
    plan = models.ForeignKey(ProcurementPlan, verbose_name=_("procurement plan"),
                             on_delete=models.CASCADE, related_name="positions")
    line = models.ForeignKey(PlanLine, verbose_name=_("plan line"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="positions")
    layout_item = models.ForeignKey(
        "proposals.LayoutItem", verbose_name=_("layout item"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    label = models.CharField(_("installation position"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=PositionKind.choices)
    floor = models.ForeignKey("survey.Floor", verbose_name=_("floor"), on_delete=models.PROTECT,
                              related_name="+")
    x_mm = models.IntegerField(_("x (mm)"), default=0)
    y_mm = models.IntegerField(_("y (mm)"), default=0)
    rotation_deg = models.PositiveSmallIntegerField(_("rotation (degrees)"), default=0)
    width_mm = models.PositiveIntegerField(_("width (mm)"))
    depth_mm = models.PositiveIntegerField(_("depth (mm)"))
    status = models.CharField(_("status"), max_length=20, choices=PositionStatus.choices,
                              default=PositionStatus.NOT_ORDERED)
    order = models.ForeignKey(Order, verbose_name=_("purchase order"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="positions")
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    installer = models.ForeignKey(
        "engagements.Organisation", verbose_name=_("installed by (company)"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )
    anchored = models.BooleanField(_("anchoring confirmed (転倒防止)"), default=False)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    asset_number = models.CharField(_("asset number"), max_length=50, blank=True)
    # Cabling: equipment at the position (from the survey or the catalogue; editable).
    pc_count = models.PositiveSmallIntegerField(_("PCs"), default=0)
    monitor_count = models.PositiveSmallIntegerField(_("monitors"), default=0)
    phone_count = models.PositiveSmallIntegerField(_("phones"), default=0)
    printer_count = models.PositiveSmallIntegerField(_("printers"), default=0)
    booth_equipment = models.BooleanField(_("booth equipment (light, fan)"), default=False)
    required_lan = models.PositiveSmallIntegerField(_("LAN ports required"), default=0)
    required_power = models.PositiveSmallIntegerField(_("power outlets required"), default=0)
    required_phone = models.PositiveSmallIntegerField(_("phone lines required"), default=0)
    requirement_reason = models.CharField(
        _("reason for changing the requirement"), max_length=300, blank=True
    )
    oa_tap = models.ForeignKey(OATap, verbose_name=_("OA tap"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="positions")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("installation position")
        verbose_name_plural = _("installation positions")
        ordering = ["plan", "line__sort_order", "label", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "asset_number"],
                                    condition=~Q(asset_number=""),
                                    name="position_unique_asset_number"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def needs_anchoring(self) -> bool:
        return self.line is not None and self.line.is_tall


class PositionStatusChange(StatusChangeBase):
    position = models.ForeignKey(Position, verbose_name=_("installation position"),
                                 on_delete=models.CASCADE,
                                 related_name="status_changes")

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("position status change")
        verbose_name_plural = _("position status changes")


class OrderStatusChange(StatusChangeBase):
    order = models.ForeignKey(Order, verbose_name=_("purchase order"), on_delete=models.CASCADE,
                              related_name="status_changes")

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("order status change")
        verbose_name_plural = _("order status changes")


class Finding(Versioned):
    """A point the city raised at inspection (指摘), its correction (是正) and re-inspection."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.ForeignKey(Position, verbose_name=_("installation position"),
                                 on_delete=models.CASCADE,
                                 related_name="findings")
    status = models.CharField(_("status"), max_length=20, choices=FindingStatus.choices,
                              default=FindingStatus.OPEN)
    text = models.TextField(_("finding"))
    photo = models.ImageField(_("photo"), upload_to=EngagementUploadTo("procurement/findings"),
                              blank=True, validators=[UploadValidator(Kind.IMAGE)])
    raised_by = models.ForeignKey(USER, verbose_name=_("raised by"), on_delete=models.PROTECT,
                                  related_name="+")
    raised_on = models.DateField(_("raised on"))
    correction = models.TextField(_("correction"), blank=True)
    correction_photo = models.ImageField(
        _("photo after the correction"), upload_to=EngagementUploadTo("procurement/findings"),
        blank=True, validators=[UploadValidator(Kind.IMAGE)],
    )
    corrected_on = models.DateField(_("corrected on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["raised_on", "pk"]

    def __str__(self) -> str:
        return f"{self.position}: {self.text[:30]}"


class FindingStatusChange(StatusChangeBase):
    finding = models.ForeignKey(Finding, verbose_name=_("finding"), on_delete=models.CASCADE,
                                related_name="status_changes")

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("finding status change")
        verbose_name_plural = _("finding status changes")


class Connection(models.Model):
    """Cabling installed at a position: a kind, how many, the cable, its label, tested or not."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.ForeignKey(Position, verbose_name=_("installation position"),
                                 on_delete=models.CASCADE,
                                 related_name="connections")
    kind = models.CharField(_("connection"), max_length=10, choices=ConnectionKind.choices)
    count = models.PositiveSmallIntegerField(_("count"), validators=[MinValueValidator(1)])
    category = models.CharField(_("cable category"), max_length=10, blank=True,
                                choices=CableCategory.choices)
    length_m = models.PositiveSmallIntegerField(_("run length (m)"), null=True, blank=True)
    label = models.CharField(_("label or port number"), max_length=100, blank=True)
    tested = models.BooleanField(_("tested"), default=False)
    installer = models.ForeignKey(
        "engagements.Organisation", verbose_name=_("work done by (company)"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField(_("recorded on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("installed connection")
        verbose_name_plural = _("installed connections")
        ordering = ["position", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.position} {self.get_kind_display()} × {self.count}"

    def clean(self) -> None:
        if self.kind == ConnectionKind.LAN and not self.category:
            raise ValidationError({"category": _("Give the cable category of a LAN run.")})


class InstallationDay(Versioned):
    """A day of installation work (設置作業日)."""

    engagement = models.ForeignKey(
        "engagements.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE,
        related_name="+",
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))
    planned = models.TextField(_("work planned"))
    workers = models.CharField(_("who works"), max_length=300)
    company = models.ForeignKey(
        "engagements.Organisation", verbose_name=_("work done by (company)"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )
    note = models.TextField(
        _("note on working while the office is open"), blank=True,
        help_text=_("Needed for a weekday during office hours: how the staff's work is kept "
                    "going."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("installation day")
        verbose_name_plural = _("installation days")
        ordering = ["date", "starts_at"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def is_day_off(self) -> bool:
        from .calendar import is_day_off

        return is_day_off(self.date)

    def clean(self) -> None:
        from .calendar import during_office_hours

        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The work must end after it starts.")})
        if (self.date and self.starts_at and self.ends_at and not self.note.strip()
                and during_office_hours(self.date, self.starts_at, self.ends_at)):
            raise ValidationError({"note": _(
                "This is a weekday during office hours: write how the staff's work is kept "
                "going (the office is open).")})
