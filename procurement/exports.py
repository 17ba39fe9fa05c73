"""The procurement workbook (plan lines, quotes, orders, inspection results, asset list) and
the stage's part of the electronic data ZIP. Cells are written through engagements.xlsx."""

import io
from pathlib import PurePosixPath

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from engagements.downloads import engagement_part, stamp
from engagements.xlsx import append_row

from . import pdf, selectors
from .choices import OrderStatus, PositionStatus


def _sheet(wb, title, header):
    ws = wb.create_sheet(title)
    append_row(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    return ws


def _date(value):
    return value.isoformat() if value else ""


def procurement_workbook(engagement) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    plan = selectors.plan_get(engagement)
    lines = _sheet(wb, _("Plan lines"), [
        _("Item"), _("Quantity"), _("Unit price in the proposal without tax (yen)"),
        *[str(s.label) for s in PositionStatus], _("Height (mm)")])
    quotes = _sheet(wb, _("Quotes"), [
        _("Order number"), _("Supplier"), _("Quote date"), _("Valid until"),
        _("Prices on the quote"),
        _("Subtotal without tax (yen)"), _("Consumption tax (yen)"), _("Total with tax (yen)"),
        _("Chosen"), _("Reason for the choice"), _("File")])
    orders = _sheet(wb, _("Orders"), [
        _("Order number"), _("Subject"), _("Status"), _("Supplier"), _("Order date"),
        _("Delivery date"), _("Place of delivery"), _("Item"), _("Quantity"),
        _("Unit price without tax (yen)")])
    inspections = _sheet(wb, _("Inspection results"), [
        _("Position"), _("Item"), _("Status"), _("Delivered on"), _("Inspection due"),
        _("Inspected on"), _("Finding"), _("Correction"), _("Finding status")])
    assets = _sheet(wb, _("Asset list"), [
        _("Asset number"), _("Item"), _("Maker"), _("Model number"), _("Position"),
        _("Floor"), _("Order number"), _("Inspected on")])
    if plan is not None:
        overview = selectors.plan_overview(plan)
        for row in overview.rows:
            append_row(lines, [row.line.description, row.line.quantity,
                               row.line.budget_unit_price_yen,
                               *[row.counts.get(s, 0) for s in PositionStatus],
                               row.line.height_mm])
        for comparison in selectors.comparisons(engagement):
            order = comparison.order
            for column in comparison.columns:
                quote = column.quote
                chosen = quote.pk == order.chosen_quote_id
                append_row(quotes, [
                    str(order), quote.supplier.name, _date(quote.quoted_on),
                    _date(quote.valid_until),
                    _("including tax") if quote.tax_included else _("without tax"),
                    column.subtotal_yen, column.tax_yen, column.total_yen,
                    "○" if chosen else "", order.choice_reason if chosen else "",
                    PurePosixPath(quote.file.name).name if quote.file else ""])
            if order.status == OrderStatus.ISSUED and comparison.chosen:
                for row in comparison.rows:
                    append_row(orders, [
                        order.number, order.title, order.get_status_display(),
                        comparison.chosen.quote.supplier.name, _date(order.ordered_on),
                        _date(order.delivery_due), order.delivery_place,
                        str(row.order_line.plan_line), row.order_line.quantity,
                        comparison.chosen.prices.get(row.order_line.pk)])
        for position in selectors.positions_of(plan):
            if position.line_id is None:
                continue
            findings = selectors.findings_list(position) or [None]
            for finding in findings:
                append_row(inspections, [
                    position.label, str(position.line), position.get_status_display(),
                    _date(position.delivered_on), _date(selectors.inspection_due(position)),
                    _date(position.inspected_on), finding.text if finding else "",
                    finding.correction if finding else "",
                    finding.get_status_display() if finding else ""])
            if position.status == PositionStatus.INSPECTED:
                entry = position.line.catalogue_item
                append_row(assets, [
                    position.asset_number, str(position.line), entry.maker, entry.model_number,
                    position.label, position.floor.name,
                    position.order.number if position.order else "",
                    _date(position.inspected_on)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def electronic_data(engagement):
    """The stage's files in the electronic data ZIP, under Japanese names."""
    yield "調達・設置.xlsx", procurement_workbook(engagement)
    for comparison in selectors.comparisons(engagement):
        order = comparison.order
        if order.status == OrderStatus.ISSUED:
            yield f"注文書/注文書_{order.number}.pdf".replace(" ", "_"), pdf.order_pdf(order)
        for column in comparison.columns:
            quote = column.quote
            if quote.file:
                suffix = PurePosixPath(quote.file.name).suffix
                name = f"見積書/見積書_{order.number or order.pk}_{quote.supplier.name}{suffix}"
                with quote.file.open("rb") as handle:
                    yield name, handle.read()


def workbook_download_name(engagement) -> tuple[str, str]:
    """The procurement workbook's name (調達_<section>_<date>.xlsx) and its ASCII fallback."""
    return (f"{pgettext('file name', 'Procurement')}_{engagement_part(engagement)}_"
            f"{stamp()}.xlsx", f"procurement-{engagement.pk}.xlsx")
