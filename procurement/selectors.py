"""Reads of the procurement stage: the plan and its totals, the comparison of quotes, the plan
drawing coloured by state, cabling, inspection deadlines, the report chapter and progress.

Every page read is a fixed number of queries whatever the number of lines and positions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from engagements import pricing
from engagements.images import display_url, report_image_uri
from engagements.stages import StageProgress

from .choices import (
    CABLING_ONLY_FILL,
    POSITION_FILLS,
    ConnectionKind,
    FindingStatus,
    OrderStatus,
    PositionStatus,
)
from .models import (
    Connection,
    Finding,
    InstallationDay,
    OATap,
    Order,
    OrderLine,
    PlanLine,
    Position,
    ProcurementPlan,
    Quote,
    QuoteLine,
    Supplier,
)
from .rules import normalise_name

P = PositionStatus
STATES = list(P)


def suppliers(engagement):
    """The companies that are this engagement's suppliers, by name."""
    from engagements.models import Organisation

    return Organisation.objects.filter(
        pk__in=Supplier.objects.filter(engagement=engagement).values("organisation_id")
    ).order_by("name")


def is_supplier(engagement, company) -> bool:
    return Supplier.objects.filter(engagement=engagement, organisation=company).exists()


def _conf(key):
    return settings.OFFICE_REFORM["PROCUREMENT"][key]


# --- Reads from other stages, through their selectors ------------------------------------------


def approved_procure_lines(engagement) -> list:
    from proposals.choices import WorkListKind
    from proposals.selectors import approved_work_list

    return list(approved_work_list(engagement, WorkListKind.PROCURE).order_by("pk"))


def approved_layout(alternative) -> list:
    from proposals.selectors import layout_items

    return layout_items(alternative) if alternative is not None else []


def subcontract_approved(engagement, company) -> bool:
    """An approved 再委託 request in the approvals register names ``company`` for item (3)."""
    from meetings.choices import ApprovalKind, ApprovalStatus, WorkItem
    from meetings.selectors import approval_list

    wanted = normalise_name(company.name)
    return any(
        normalise_name(request.subcontractor) == wanted
        and WorkItem.PROCUREMENT in (request.work_items or [])
        for request in approval_list(engagement).filter(kind=ApprovalKind.SUBCONTRACT,
                                                        status=ApprovalStatus.APPROVED)
    )


# --- The plan ---------------------------------------------------------------------------------


def plan_get(engagement) -> ProcurementPlan | None:
    return (ProcurementPlan.objects.filter(engagement=engagement)
            .select_related("alternative__proposal", "adopted_by").first())


@dataclass
class DiffRow:
    description: str
    planned: int
    approved: int
    ordered: int

    @property
    def kept_because_ordered(self) -> bool:
        return self.ordered > self.approved


@dataclass
class PlanDiff:
    alternative: object
    approved_rows: list
    rows: list[DiffRow]

    @property
    def changed(self) -> bool:
        return bool(self.rows) or (self.alternative is not None and self._moved)

    _moved: bool = False


def plan_diff(plan: ProcurementPlan) -> PlanDiff:
    """What adopting the approved alternative as it is now would change."""
    approved = approved_procure_lines(plan.engagement)
    alternative = approved[0].alternative if approved else None
    lines = {line.catalogue_item_id: line for line in plan.lines.all()}
    ordered = Counter(Position.objects.filter(plan=plan).exclude(line=None)
                      .exclude(status=P.NOT_ORDERED).values_list("line__catalogue_item_id",
                                                                 flat=True))
    rows = []
    by_entry = {row.catalogue_item_id: row for row in approved}
    for entry_id in [*by_entry, *[k for k in lines if k not in by_entry]]:
        row, line = by_entry.get(entry_id), lines.get(entry_id)
        planned = line.quantity if line else 0
        now = row.quantity if row else 0
        if planned != max(now, ordered[entry_id]):
            rows.append(DiffRow(row.description if row else line.description, planned, now,
                                ordered[entry_id]))
    diff = PlanDiff(alternative, approved, rows)
    diff._moved = alternative is not None and alternative.pk != plan.alternative_id
    return diff


@dataclass
class LineRow:
    line: PlanLine
    counts: dict[str, int]
    drafted: int

    @property
    def at_least(self) -> dict[str, int]:
        """How many units have reached each state (ordered includes delivered, …)."""
        out, running = {}, 0
        for state in reversed(STATES):
            running += self.counts.get(state, 0)
            out[state] = running
        return out


@dataclass
class PlanOverview:
    plan: ProcurementPlan
    rows: list[LineRow]
    budget_yen: int | None
    reference_yen: int
    ordered_yen: int
    delivered_yen: int

    @property
    def remaining_yen(self) -> int | None:
        return None if self.budget_yen is None else self.budget_yen - self.ordered_yen

    @property
    def over_budget(self) -> bool:
        return self.budget_yen is not None and self.ordered_yen > self.budget_yen

    @property
    def totals(self) -> dict[str, int]:
        totals = Counter()
        for row in self.rows:
            totals.update(row.counts)
        return dict(totals)

    @property
    def quantity(self) -> int:
        return sum(row.line.quantity for row in self.rows)


def _issued_orders(engagement):
    return (Order.objects.filter(engagement=engagement, status=OrderStatus.ISSUED)
            .select_related("chosen_quote__supplier")
            .prefetch_related(Prefetch("chosen_quote__lines",
                                       queryset=QuoteLine.objects.select_related("order_line"))))


def plan_overview(plan: ProcurementPlan) -> PlanOverview:
    lines = list(plan.lines.select_related("catalogue_item"))
    counts = defaultdict(Counter)
    for line_id, status in Position.objects.filter(plan=plan).exclude(line=None).values_list(
            "line_id", "status"):
        counts[line_id][status] += 1
    drafted = Counter()
    for line_id, quantity in OrderLine.objects.filter(plan_line__plan=plan).exclude(
            order__status=OrderStatus.CANCELLED).values_list("plan_line_id", "quantity"):
        drafted[line_id] += quantity
    ordered_yen = delivered_without_tax = 0
    prices = {}
    for order in _issued_orders(plan.engagement):
        quote = order.chosen_quote
        subtotal = 0
        for quote_line in quote.lines.all():
            subtotal += quote_line.unit_price_yen * quote_line.order_line.quantity
            prices[(order.pk, quote_line.order_line.plan_line_id)] = quote_line.unit_price_yen
        ordered_yen += pricing.with_tax(subtotal)
    for order_id, line_id in Position.objects.filter(
            plan=plan, status__in=[P.DELIVERED, P.INSTALLED, P.INSPECTED]).values_list(
            "order_id", "line_id"):
        delivered_without_tax += prices.get((order_id, line_id), 0)
    rows = [LineRow(line, dict(counts[line.pk]), drafted[line.pk]) for line in lines]
    reference = pricing.with_tax(sum(line.budget_amount_yen for line in lines))
    return PlanOverview(plan, rows, plan.budget_yen, reference, ordered_yen,
                        pricing.with_tax(delivered_without_tax))


def positions_of(plan: ProcurementPlan):
    """The plan's positions with their findings and connections as lists (``finding_list``,
    ``connection_list``): two queries for any number."""
    return (Position.objects.filter(plan=plan)
            .select_related("line", "floor", "order", "installer", "oa_tap")
            .prefetch_related(Prefetch("findings", to_attr="finding_list"),
                              Prefetch("connections", to_attr="connection_list")))


def positions_for_drawing(plan: ProcurementPlan) -> list[SimpleNamespace]:
    """Only what the plan drawing needs (placement, state, the line's name, open findings),
    as plain rows: two queries, no model instances, so 300 units stay cheap."""
    fields = ("pk", "floor_id", "line_id", "line__description", "label", "kind", "status",
              "x_mm", "y_mm", "width_mm", "depth_mm", "rotation_deg")
    open_ = defaultdict(list)
    for finding in Finding.objects.filter(position__plan=plan).exclude(
            status=FindingStatus.RESOLVED).only("pk", "position_id", "status"):
        open_[finding.position_id].append(finding)
    rows = []
    for values in Position.objects.filter(plan=plan).order_by("pk").values(*fields):
        row = SimpleNamespace(**values)
        row.line = values["line__description"]
        row.finding_list = open_[row.pk]
        rows.append(row)
    return rows


def findings_list(position) -> list:
    cached = getattr(position, "finding_list", None)
    return cached if cached is not None else list(position.findings.all())


def connections_list(position) -> list:
    cached = getattr(position, "connection_list", None)
    return cached if cached is not None else list(position.connections.all())


def open_findings(position) -> list:
    return [f for f in findings_list(position) if f.status != FindingStatus.RESOLVED]


@dataclass
class PositionRow:
    """One row of the plan page's position table, everything the template shows resolved."""

    position: Position
    status_label: str
    badge: str
    choices: list
    open_findings: list
    cabling_flagged: bool


def position_rows(positions, role) -> list[PositionRow]:
    """Rows for the plan page: labels and badge colours looked up once, not per row."""
    from .choices import POSITION_BADGES
    from .workflows import POSITION_WORKFLOW

    labels = {key: str(label) for key, label in P.choices}
    flagged = {row.position.pk for row in cabling_rows(positions) if row.flagged}
    rows = []
    for position in positions:
        if not position.line_id:
            continue
        choices = [(c.target, str(c.label), c.transition.style)
                   for c in POSITION_WORKFLOW.available(position, role)]
        rows.append(PositionRow(position, labels[position.status],
                                POSITION_BADGES[position.status], choices,
                                open_findings(position), position.pk in flagged))
    return rows


# --- The plan drawing -----------------------------------------------------------------------


def _image_href(floor, for_pdf: bool) -> str | None:
    if not floor.plan_image:
        return None
    # the display copy, as the survey's plans (engagements.images)
    if for_pdf:
        return report_image_uri(floor.plan_image.name)
    return display_url(floor.plan_image.name)


def procurement_plan_svg(floor, positions, *, for_pdf: bool = False, rooms=None,
                         interactive: bool = False) -> str:
    """The one function drawing a floor's positions coloured by state (swap the drawing
    routine here). Cabling-only positions are white; an open finding adds a red outline."""
    from survey.plan_svg import PlanItem, floor_items, plan_svg

    items = rooms if rooms is not None else floor_items(floor, kinds=("room",))
    labels = {key: str(label) for key, label in P.choices}
    cabling_only = _("cabling only")
    for position in positions:
        if position.floor_id != floor.pk:
            continue
        fill = POSITION_FILLS[position.status] if position.line_id else CABLING_ONLY_FILL
        state = labels[position.status] if position.line_id else cabling_only
        findings = open_findings(position)
        attrs = {"status": position.status if position.line_id else "cabling",
                 "position": position.label}
        if findings:
            attrs["finding"] = "open"
        items.append(PlanItem.of(
            "desk" if position.kind == "desk" else "furniture", position, label=position.label,
            title=f"{position.label} {position.line or ''} — {state}",
            fill=fill, attrs=attrs))
    return plan_svg(floor, items, image_href=_image_href(floor, for_pdf),
                    interactive=interactive, title=floor.name, css_class="plan-svg")


def plan_drawings(plan: ProcurementPlan, positions, *, for_pdf: bool = False) -> list:
    from survey.models import Floor

    floors = Floor.objects.filter(pk__in={p.floor_id for p in positions}).order_by(
        "sort_order", "pk")
    return [(floor, procurement_plan_svg(floor, positions, for_pdf=for_pdf)) for floor in floors]


def legend() -> list[tuple[str, str, str]]:
    rows = [(state.value, POSITION_FILLS[state], state.label) for state in STATES]
    rows.append(("cabling", CABLING_ONLY_FILL, _("Kept desk: cabling only")))
    return rows


# --- Quotes and their comparison ------------------------------------------------------------


@dataclass
class QuoteColumn:
    quote: Quote
    prices: dict[int, int]  # order line pk → unit price without tax
    subtotal_yen: int
    complete: bool

    @property
    def tax_yen(self) -> int:
        return pricing.tax_yen(self.subtotal_yen)

    @property
    def total_yen(self) -> int:
        return self.subtotal_yen + self.tax_yen


@dataclass
class ComparisonRow:
    order_line: OrderLine
    cells: list[int | None]
    lowest: int | None


@dataclass
class Comparison:
    order: Order
    columns: list[QuoteColumn]
    rows: list[ComparisonRow]
    reference_yen: int
    lowest_total: int | None
    required: int
    notes: list = field(default_factory=list)

    def reason_needed_for(self, column: QuoteColumn) -> list[str]:
        needs = []
        if self.lowest_total is not None and column.total_yen > self.lowest_total:
            needs.append(_("The chosen quote is not the lowest."))
        if len(self.columns) < self.required:
            needs.append(_("%(required)s quotes are required for this amount; %(n)s were "
                           "obtained.") % {"required": self.required, "n": len(self.columns)})
        return needs

    @property
    def chosen(self) -> QuoteColumn | None:
        return next((c for c in self.columns if c.quote.pk == self.order.chosen_quote_id), None)

    @property
    def chosen_reasons(self) -> list[str]:
        return self.reason_needed_for(self.chosen) if self.chosen else []


def order_comparison(order: Order, *, quotes=None, lines=None) -> Comparison:
    """Suppliers side by side per line; lowest per line and per total (complete quotes)."""
    lines = lines if lines is not None else list(
        order.lines.select_related("plan_line").order_by("plan_line__sort_order", "pk"))
    quotes = quotes if quotes is not None else list(
        order.quotes.select_related("supplier").prefetch_related("lines"))
    columns = []
    for quote in quotes:
        prices = {ql.order_line_id: ql.unit_price_yen for ql in quote.lines.all()}
        subtotal = sum(prices[line.pk] * line.quantity for line in lines if line.pk in prices)
        columns.append(QuoteColumn(quote, prices, subtotal,
                                   all(line.pk in prices for line in lines)))
    rows = []
    for line in lines:
        cells = [c.prices.get(line.pk) for c in columns]
        present = [v for v in cells if v is not None]
        rows.append(ComparisonRow(line, cells, min(present) if present else None))
    complete = [c.total_yen for c in columns if c.complete]
    reference = pricing.with_tax(sum(line.plan_line.budget_unit_price_yen * line.quantity
                                     for line in lines))
    lowest_total = min(complete) if complete else None
    amount = lowest_total if lowest_total is not None else reference
    return Comparison(order, columns, rows, reference, lowest_total,
                      pricing.quotes_required(amount))


def order_list(engagement):
    return (Order.objects.filter(engagement=engagement)
            .select_related("chosen_quote__supplier")
            .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.select_related(
                "plan_line")), Prefetch("quotes", queryset=Quote.objects.select_related(
                    "supplier").prefetch_related("lines"))))


def order_get(engagement, pk: int) -> Order:
    return Order.objects.select_related("chosen_quote__supplier", "engagement__client").get(
        engagement=engagement, pk=pk)


def comparisons(engagement) -> list[Comparison]:
    out = []
    for order in order_list(engagement).exclude(status=OrderStatus.CANCELLED):
        lines = sorted(order.lines.all(), key=lambda ol: (ol.plan_line.sort_order, ol.pk))
        out.append(order_comparison(order, quotes=list(order.quotes.all()), lines=lines))
    return out


def order_document(order: Order) -> dict:
    """What the 注文書 shows: the chosen quote's lines, subtotal, tax, total."""
    comparison = order_comparison(order)
    column = comparison.chosen
    rows = []
    for row in comparison.rows:
        price = column.prices.get(row.order_line.pk) if column else None
        rows.append({"item": row.order_line.plan_line, "catalogue": row.order_line.plan_line
                     .catalogue_item, "quantity": row.order_line.quantity, "unit_price": price,
                     "amount": (price or 0) * row.order_line.quantity})
    return {"order": order, "rows": rows, "column": column, "percent": pricing.tax_percent()}


# --- Inspection -------------------------------------------------------------------------------


def inspection_due(position: Position) -> dt.date | None:
    if position.delivered_on is None or position.status == P.INSPECTED:
        return None
    return position.delivered_on + dt.timedelta(days=_conf("INSPECTION_DAYS"))


def overdue_count(engagement, today=None) -> int:
    today = today or timezone.localdate()
    limit = today - dt.timedelta(days=_conf("INSPECTION_DAYS"))
    return Position.objects.filter(engagement=engagement, status__in=[P.DELIVERED, P.INSTALLED],
                                   delivered_on__lt=limit).count()


def findings_of(engagement):
    return (Finding.objects.filter(engagement=engagement)
            .select_related("position__line", "raised_by"))


# --- Cabling ----------------------------------------------------------------------------------


def position_load_w(position: Position) -> int:
    watts = _conf("EQUIPMENT_WATTS")
    return (position.pc_count * watts["pc"] + position.monitor_count * watts["monitor"]
            + position.phone_count * watts["phone"] + position.printer_count * watts["printer"]
            + (watts["booth"] if position.booth_equipment else 0))


@dataclass
class CablingRow:
    position: Position
    required: dict[str, int]
    installed: dict[str, int]
    untested: int
    too_long: list[Connection]
    load_w: int

    @property
    def missing(self) -> dict[str, int]:
        return {k: self.required[k] - self.installed.get(k, 0) for k in self.required
                if self.required[k] > self.installed.get(k, 0)}

    @property
    def flagged(self) -> bool:
        return bool(self.missing or self.untested or self.too_long)


def lan_too_long(connection: Connection) -> bool:
    limit = _conf("LAN_MAX_LENGTH_M").get(connection.category)
    return (connection.kind == ConnectionKind.LAN and connection.length_m is not None
            and limit is not None and connection.length_m > limit)


def cabling_rows(positions) -> list[CablingRow]:
    rows = []
    for position in positions:
        installed = Counter()
        untested, too_long = 0, []
        for connection in connections_list(position):
            installed[connection.kind] += connection.count
            if not connection.tested:
                untested += connection.count
            if lan_too_long(connection):
                too_long.append(connection)
        rows.append(CablingRow(
            position,
            {ConnectionKind.LAN: position.required_lan,
             ConnectionKind.POWER: position.required_power,
             ConnectionKind.PHONE: position.required_phone},
            dict(installed), untested, too_long, position_load_w(position)))
    return rows


@dataclass
class TapLoad:
    tap: OATap
    positions: list
    load_w: int

    @property
    def over(self) -> bool:
        return self.load_w > self.tap.rating_w


def tap_loads(engagement, positions) -> list[TapLoad]:
    by_tap = defaultdict(list)
    for position in positions:
        if position.oa_tap_id:
            by_tap[position.oa_tap_id].append(position)
    return [TapLoad(tap, by_tap[tap.pk], sum(position_load_w(p) for p in by_tap[tap.pk]))
            for tap in OATap.objects.filter(engagement=engagement)]


def installation_days(engagement):
    return InstallationDay.objects.filter(engagement=engagement).select_related("company")


# --- Dashboard and report ---------------------------------------------------------------------


def stage_progress(engagement) -> StageProgress:
    """Share of the plan's units inspected; overdue inspections named in the summary."""
    plan = ProcurementPlan.objects.filter(engagement=engagement).first()
    if plan is None:
        return StageProgress(percent=0, summary=_("Not started"))
    counts = Counter(Position.objects.filter(plan=plan).exclude(line=None)
                     .values_list("status", flat=True))
    total = sum(counts.values())
    done = counts[P.INSPECTED]
    percent = round(100 * done / total) if total else 0
    summary = _("%(done)s of %(total)s units inspected") % {"done": done, "total": total}
    overdue = overdue_count(engagement)
    if overdue:
        summary += pgettext("between two facts", ", ") + _("%(n)s inspections overdue") % {
            "n": overdue}
    return StageProgress(percent=percent, summary=summary)


def chapter_number(default: int = 5) -> int:
    from reports.chapters import numbered_chapters

    for number, chapter in numbered_chapters():
        if chapter.key == "procurement" and number:
            return number
    return default


def report_chapter(engagement) -> dict:
    plan = plan_get(engagement)
    if plan is None:
        return {"plan": None}
    positions = list(positions_of(plan))
    overview = plan_overview(plan)
    orders = [c for c in comparisons(engagement) if c.order.status == OrderStatus.ISSUED]
    suppliers = sorted({c.chosen.quote.supplier.name for c in orders if c.chosen})
    photos = [f for f in findings_of(engagement) if f.photo or f.correction_photo][:4]
    return {
        "plan": plan, "overview": overview, "comparisons": orders, "suppliers": suppliers,
        "drawings": plan_drawings(plan, positions, for_pdf=True), "legend": legend(),
        "cabling": cabling_rows(positions), "taps": tap_loads(engagement, positions),
        "findings": list(findings_of(engagement)), "photos": photos,
        "inspected": [p for p in positions if p.status == P.INSPECTED],
        "days": list(installation_days(engagement)), "n": chapter_number(),
        "percent": pricing.tax_percent(),
    }


def schedule_rows(engagement) -> list:
    """The installation days and the orders' delivery dates, for the report's 工程."""
    from reports.schedule import Row

    from .models import InstallationDay, Order

    rows = [
        Row(_("Installation day: %(planned)s") % {"planned": day.planned[:30]}, day.date, None,
            _("Procurement and installation"))
        for day in InstallationDay.objects.filter(engagement=engagement).order_by("date")
    ]
    for order in Order.objects.filter(engagement=engagement, ordered_on__isnull=False,
                                      delivery_due__isnull=False).order_by("ordered_on"):
        rows.append(Row(_("Order %(number)s") % {"number": order.number}, order.ordered_on,
                        order.delivery_due, _("Procurement and installation")))
    return rows
