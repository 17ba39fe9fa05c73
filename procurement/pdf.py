"""The 注文書 (purchase order) as a PDF in the usual Japanese layout, rendered with WeasyPrint.

宛先 (the supplier 御中), 件名, the orderer, 明細, 小計, 消費税, 合計, 納期, 納入場所. The fonts
are the report's (settings.REPORT_FONT_FAMILIES); WeasyPrint embeds them.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import pgettext
from weasyprint import HTML

from engagements.downloads import name_part

from . import selectors


def order_html(order) -> str:
    context = selectors.order_document(order)
    context.update(engagement=order.engagement, font_families=settings.REPORT_FONT_FAMILIES)
    return render_to_string("procurement/pdf/order.html", context)


def order_pdf(order) -> bytes:
    return HTML(string=order_html(order), base_url=str(settings.BASE_DIR)).write_pdf()


def order_download_name(order) -> str:
    """注文書_<number>_<subject>.pdf; ``order_filename`` is its ASCII fallback."""
    return (f"{pgettext('file name', 'Order')}_{name_part(order.number or order.pk)}_"
            f"{name_part(order.title, 'order')}.pdf")


def order_filename(order) -> str:
    return f"order-{order.number or order.pk}.pdf".replace("/", "-")
