"""The disposal workbook (items, outcomes, destinations, receipts, manifests with dates), the
offer list as xlsx, and the stage's files in the electronic data. Every cell goes through
``engagements.xlsx.append_row`` so that no text becomes a formula."""

import io
from pathlib import PurePosixPath

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from engagements.downloads import engagement_part, stamp
from engagements.xlsx import append_row

from .choices import TransferStatus
from .deadlines import copy_deadlines
from .models import DisposalItem, Manifest, Transfer
from .selectors import offer_board

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _d(value):
    return value.isoformat() if value else ""


def _save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def disposal_workbook(engagement) -> bytes:
    with translation.override("ja"):
        wb = Workbook()
        ws = wb.active
        ws.title = _("Items")
        append_row(ws, [_("Number"), _("Item"), _("Size"), _("Condition"), _("Year"),
                        _("Asset number"), _("Quantity"), _("Stage status"), _("Proposed outcome"),
                        _("Decided outcome"), _("Decision date"), _("Decision document number"),
                        _("Destination"), _("Received on"), _("Waste class"), _("Weight (kg)"),
                        _("Manifest number"), _("Buyer"), _("Price (yen)"), _("Sale date"),
                        _("Reason")])
        items = (DisposalItem.objects.filter(engagement=engagement)
                 .select_related("transfer__destination", "manifest").order_by("source", "number"))
        for i in items:
            append_row(ws, [
                i.number, i.name, i.size, i.get_condition_display(), i.year or "",
                i.asset_number, i.quantity, i.get_status_display(),
                i.get_proposed_outcome_display(), i.get_outcome_display(), _d(i.decided_on),
                i.decision_document, str(i.transfer.destination) if i.transfer_id else "",
                _d(i.transfer.received_on) if i.transfer_id else "",
                i.get_waste_class_display(), float(i.weight_kg) if i.weight_kg is not None else "",
                i.manifest.number if i.manifest_id else "", i.buyer,
                i.sale_price_yen if i.sale_price_yen is not None else "", _d(i.sold_on),
                i.reason])
        ws = wb.create_sheet(_("Transfers"))
        append_row(ws, [_("Destination"), _("Receiving section"), _("Receiving contact"),
                        _("Planned date"), _("Carried out on"), _("Received by"),
                        _("Received on"), _("Items")])
        for t in (Transfer.objects.filter(engagement=engagement)
                  .exclude(status=TransferStatus.CANCELLED).select_related("destination")
                  .prefetch_related("items")):
            append_row(ws, [str(t.destination), t.destination_section, t.contact_name,
                            _d(t.planned_on), _d(t.carried_out_on), t.received_by_name,
                            _d(t.received_on), "、".join(i.number for i in t.items.all())])
        ws = wb.create_sheet(_("Manifests"))
        append_row(ws, [_("Manifest number"), _("Form"), _("Issue date"), _("Collector"),
                        _("Disposer"), _("Collection date"), _("B2 due"), _("B2 returned on"),
                        _("D due"), _("D returned on"), _("E due"), _("E returned on")])
        for m in (Manifest.objects.filter(engagement=engagement)
                  .select_related("collector", "disposer")):
            b2, d, e = copy_deadlines(m)
            append_row(ws, [m.number, m.get_form_display(), _d(m.issued_on), m.collector.name,
                            m.disposer.name, _d(m.collected_on), _d(b2.due),
                            _d(m.b2_returned_on), _d(d.due), _d(m.d_returned_on), _d(e.due),
                            _d(m.e_returned_on)])
        return _save(wb)


def offer_workbook(offer) -> bytes:
    with translation.override("ja"):
        wb = Workbook()
        ws = wb.active
        ws.title = _("Offer")
        append_row(ws, [offer.title])
        append_row(ws, [_("Answers wanted by"), _d(offer.respond_by)])
        append_row(ws, [_("Number"), _("Item"), _("Size"), _("Condition"), _("Year"),
                        _("Quantity"), _("Asset number"), _("Requests")])
        for row in offer_board(offer):
            i = row["item"]
            append_row(ws, [i.number, i.name, i.size, i.get_condition_display(), i.year or "",
                            i.quantity, i.asset_number,
                            "、".join(str(r.office) for r in row["requests"])])
        return _save(wb)


def electronic_data_files(engagement):
    """廃棄・移設.xlsx plus the uploaded papers, under Japanese names."""
    with translation.override("ja"):
        files = [("廃棄・移設.xlsx", disposal_workbook(engagement))]

        def add(folder, name, field):
            if field:
                try:
                    with field.open("rb") as handle:
                        data = handle.read()
                except (OSError, ValueError):
                    return
                suffix = PurePosixPath(field.name).suffix
                files.append((f"{folder}/{name}{suffix}", data))

        for t in Transfer.objects.filter(engagement=engagement).select_related("destination"):
            add("受領書", f"受領書_{t.destination}_{t.pk}", t.signed_receipt)
        for m in Manifest.objects.filter(engagement=engagement).select_related(
                "collector", "disposer"):
            add("処分証明書", f"処分証明書_{m.number}", m.certificate)
        from .models import WasteOperator

        for o in WasteOperator.objects.filter(engagement=engagement):
            add("委託契約書", f"委託契約書_{o.name}", o.contract_file)
        for i in DisposalItem.objects.filter(engagement=engagement).exclude(sale_receipt=""):
            add("売却領収書", f"売却領収書_{i.number}", i.sale_receipt)
        return files


def workbook_download_name(engagement) -> tuple[str, str]:
    """The disposal workbook's name (廃棄・移管_<section>_<date>.xlsx) and its ASCII fallback."""
    return (f"{pgettext('file name', 'Disposal')}_{engagement_part(engagement)}_{stamp()}.xlsx",
            f"disposal-{engagement.pk}.xlsx")
