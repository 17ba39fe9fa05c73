"""The offer list to the ward offices (庁内リユース) and the 受領書, as PDF with WeasyPrint and
the report's Japanese fonts (settings.REPORT_FONT_FAMILIES), like the minutes."""

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import pgettext
from weasyprint import HTML

from engagements.downloads import name_part, stamp
from engagements.images import display_name

from .selectors import offer_board


def photo_data_uri(item) -> str:
    """The item's photo (or the survey's photo of its desk or storage unit) as a data URI,
    so that the PDF does not depend on where files are stored."""
    field = item.photo if item.photo else None
    if field is None:
        from survey.models import Photo

        photo = None
        if item.desk_id:
            photo = Photo.objects.filter(desk_id=item.desk_id).first()
        elif item.storage_unit_id:
            photo = Photo.objects.filter(storage_unit_id=item.storage_unit_id).first()
        field = photo.image if photo else None
    if not field:
        return ""
    # The display copy (made when the photo was uploaded), else the original as stored.
    name = display_name(field.name)
    if not field.storage.exists(name):
        name = field.name
    try:
        with field.storage.open(name, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    kind = "png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def _render(template: str, context: dict) -> bytes:
    context = {**context, "font_families": settings.REPORT_FONT_FAMILIES,
               "today": timezone.localdate()}
    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def offer_pdf(offer) -> bytes:
    rows = offer_board(offer)
    for row in rows:
        row["photo"] = photo_data_uri(row["item"])
    return _render("disposal/pdf/offer.html", {"offer": offer, "rows": rows,
                                               "engagement": offer.engagement})


def receipt_pdf(transfer) -> bytes:
    return _render("disposal/pdf/receipt.html", {
        "transfer": transfer, "items": list(transfer.items.all()),
        "engagement": transfer.engagement})


def receipt_download_name(transfer) -> str:
    """受領書_<destination>_<date>.pdf (the date carried out, else planned)."""
    return (f"{pgettext('file name', 'Receipt')}_{name_part(transfer.destination, 'office')}_"
            f"{stamp(transfer.carried_out_on or transfer.planned_on)}.pdf")


def offer_download_name(offer, extension: str) -> str:
    """リユース照会_<title>_<circulated on>.<extension> (the PDF and the workbook)."""
    return (f"{pgettext('file name', 'Reuse offer')}_{name_part(offer.title, 'offer')}_"
            f"{stamp(offer.circulated_on)}.{extension}")
