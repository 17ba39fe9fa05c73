"""Demo of the disposal stage: what 案A removes from the seed office.

Desks 02–04 and the cabinets C01/C02 are offered to the ward offices; 西京区役所 and 伏見区役所
both ask for C01 and the city allocates it to 西京区役所. Those items are transferred to the two
offices (receipts recorded). Desk 19 is kept in use. The other desks are scrapped under one
manifest with B2 and D back and E still due.

Idempotent: the story is written only when the engagement has no disposal item yet.
"""

import datetime as dt
import io

from django.core.files.base import ContentFile

from engagements.demo import Demo, upsert
from engagements.models import Organisation

from . import services
from .choices import ItemStatus, ManifestForm, OperatorRole, Outcome
from .models import DisposalItem, WasteOperator

DECIDED_ON = dt.date(2026, 9, 30)


def _png(colour=(120, 140, 160)) -> ContentFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (235, 235, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, 280, 200), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="photo.png")


def _contract_pdf(name: str) -> ContentFile:
    from django.conf import settings
    from weasyprint import HTML

    fonts = ", ".join(f'"{f}"' for f in settings.REPORT_FONT_FAMILIES)
    html = (f'<body style="font-family: {fonts}"><h1>産業廃棄物処理委託契約書</h1>'
            f"<p>京都市（甲）と{name}（乙）は、産業廃棄物の処理について次のとおり契約する。</p>"
            "</body>")
    return ContentFile(HTML(string=html).write_pdf(), name="contract.pdf")


def seed(demo: Demo) -> None:
    engagement, contractor = demo.engagement, demo.contractor
    if DisposalItem.objects.filter(engagement=engagement).exists():
        return
    services.items_sync(engagement=engagement, actor=contractor)
    items = {i.number: i for i in DisposalItem.objects.filter(engagement=engagement)}
    if not items:
        return
    _set_years(items)
    nishikyo = Organisation.objects.get(name="西京区役所")
    fushimi = Organisation.objects.get(name="伏見区役所")
    reuse = [n for n in ("02", "03", "04", "C01", "C02") if n in items]
    keep = "19" if "19" in items else None
    scrap = [n for n in items if n not in reuse and n != keep]
    _propose(demo, items, reuse, keep, scrap)
    _offer_and_allocate(demo, items, reuse, nishikyo, fushimi)
    _decide(demo, items, reuse, keep, scrap)
    _transfer(demo, items, reuse, (nishikyo, fushimi))
    _dispose(demo)


def _set_years(items: dict) -> None:
    for number, item in items.items():
        year = 2009 if number.startswith("C") else 2012
        if item.year is None:
            item.year = year
            item.save(update_fields=["year"])


def _propose(demo: Demo, items: dict, reuse: list, keep, scrap: list) -> None:
    """The contractor's proposals (photos first for the items offered to the ward offices)."""
    contractor = demo.contractor
    for shade, number in enumerate(reuse):
        # A photo for the offer list the ward offices receive.
        services.item_update(item=items[number], actor=contractor, values={
            "photo": _png((90 + 25 * shade, 110, 150))})
        items[number].refresh_from_db()
    for number in reuse:
        services.item_propose(item=items[number], actor=contractor, outcome=Outcome.SCRAP,
                              note="状態良好のため、区役所への移設を先に照会する。")
    if keep:
        services.item_propose(item=items[keep], actor=contractor, outcome=Outcome.KEEP,
                              note="コラボスペースの作業台として継続使用する。")
    for number in scrap:
        services.item_propose(item=items[number], actor=contractor, outcome=Outcome.SCRAP)


def _offer_and_allocate(demo: Demo, items: dict, reuse: list, nishikyo, fushimi) -> None:
    """The reuse offer, the ward offices' requests and the city's allocation."""
    engagement, city = demo.engagement, demo.city
    offer = services.offer_create(
        engagement=engagement, actor=city, title="不用となる什器の庁内リユース照会",
        circulated_on=dt.date(2026, 9, 1), respond_by=dt.date(2026, 9, 18),
        items=[items[n] for n in reuse])
    wanted = {nishikyo: [n for n in ("02", "03", "C01") if n in reuse],
              fushimi: [n for n in ("04", "C01", "C02") if n in reuse]}
    requests = {}
    for office, numbers in wanted.items():
        for number in numbers:
            requests[(office.pk, number)] = services.request_record(
                offer=offer, actor=city, office=office, item=items[number],
                wanted_by=dt.date(2026, 10, 31), contact=f"{office.name} 総務課")
    for number in reuse:
        # C01 is wanted by both offices: the city gives it to 西京区役所.
        office = nishikyo if (nishikyo.pk, number) in requests else fushimi
        services.offer_allocate(offer=offer, actor=city, item=items[number],
                                request=requests[(office.pk, number)])


def _decide(demo: Demo, items: dict, reuse: list, keep, scrap: list) -> None:
    city = demo.city
    for number in reuse:
        item = DisposalItem.objects.get(pk=items[number].pk)
        services.item_decide(item=item, actor=city, outcome=Outcome.TRANSFER,
                             decided_on=DECIDED_ON, document="京地自第1234号")
    if keep:
        services.item_decide(item=items[keep], actor=city, outcome=Outcome.KEEP,
                             decided_on=DECIDED_ON)
    for number in scrap:
        item = DisposalItem.objects.get(pk=items[number].pk)
        services.item_decide(item=item, actor=city, outcome=Outcome.SCRAP,
                             decided_on=DECIDED_ON, document="京地自第1234号")


def _transfer(demo: Demo, items: dict, reuse: list, offices) -> None:
    """Each ward office's items carried over and received."""
    engagement, contractor = demo.engagement, demo.contractor
    for office in offices:
        chosen = [DisposalItem.objects.get(pk=items[n].pk) for n in reuse
                  if DisposalItem.objects.get(pk=items[n].pk).allocated_to_id == office.pk]
        if not chosen:
            continue
        transfer = services.transfer_create(
            engagement=engagement, actor=contractor, items=chosen, destination=office,
            destination_section="総務課", contact_name="総務課 庶務係長",
            contact_phone="075-000-0000", planned_on=dt.date(2026, 10, 8))
        transfer = services.transfer_carry_out(transfer=transfer, actor=contractor,
                                               carried_out_on=dt.date(2026, 10, 8),
                                               photo=_png())
        services.transfer_receive(transfer=transfer, actor=contractor,
                                  received_by_name="総務課 庶務係長",
                                  received_on=dt.date(2026, 10, 8))


def _dispose(demo: Demo) -> None:
    """The waste operators, the scrapped items' waste and their manifest."""
    engagement, contractor = demo.engagement, demo.contractor
    collector = upsert(WasteOperator, {"engagement": engagement,
                                       "name": "京都クリーン運輸株式会社"}, {
        "role": OperatorRole.COLLECTOR, "licence_number": "02600012345",
        "licence_issuer": "京都市長", "licence_issued_on": dt.date(2023, 4, 1),
        "licence_expires_on": dt.date(2028, 3, 31), "contract_signed_on": dt.date(2026, 10, 1)})
    disposer = upsert(WasteOperator, {"engagement": engagement,
                                      "name": "洛南リサイクル株式会社"}, {
        "role": OperatorRole.DISPOSER, "licence_number": "02620054321",
        "licence_issuer": "京都市長", "licence_issued_on": dt.date(2021, 10, 1),
        "licence_expires_on": dt.date(2028, 9, 30), "excellent": True,
        "contract_signed_on": dt.date(2026, 10, 1)})
    for operator in (collector, disposer):
        if not operator.contract_file:
            operator.contract_file = _contract_pdf(operator.name)
            operator.save(update_fields=["contract_file"])
    scrap_items = list(DisposalItem.objects.filter(
        engagement=engagement, status=ItemStatus.DECIDED, outcome=Outcome.SCRAP))
    for item in scrap_items:
        services.item_record_waste(item=item, actor=contractor, waste_class=item.waste_class,
                                   weight_kg=35, weighed=False)
    manifest = services.manifest_create(
        engagement=engagement, actor=contractor, items=scrap_items, number="1234567890",
        issued_on=dt.date(2026, 10, 15), form=ManifestForm.PAPER, collector=collector,
        disposer=disposer, collected_on=dt.date(2026, 10, 15))
    services.manifest_record_returns(manifest=manifest, actor=contractor,
                                     b2_returned_on=dt.date(2026, 10, 20),
                                     d_returned_on=dt.date(2026, 11, 10), e_returned_on=None)
