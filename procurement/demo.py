"""Demo procurement of the seed office: the plan from the approved 案A, two orders with two or
three quotes each, one order fully inspected, one with a finding corrected, cabling partly
done and an installation day on a Saturday.

Idempotent: the story runs through the services only when the engagement has no plan yet,
so a second run writes nothing.
"""

import datetime as dt

from engagements.demo import Demo

from . import selectors, services
from .choices import ConnectionKind, PositionStatus
from .models import InstallationDay, Position, ProcurementPlan

SUPPLIERS = ["株式会社京都オフィス家具", "平安ファニチャー株式会社", "株式会社洛中設備"]


def _positions(plan, prefix: str) -> list[Position]:
    return list(Position.objects.filter(plan=plan, label__startswith=prefix).order_by("label"))


def _order(engagement, contractor, title, lines, quotes, *, number, ordered_on, due, reason=""):
    order = services.order_create(engagement=engagement, title=title, actor=contractor,
                                  quantities={line.pk: line.quantity for line in lines})
    order_lines = {ol.plan_line_id: ol for ol in order.lines.all()}
    made = []
    for supplier, quoted_on, factor in quotes:
        prices = {order_lines[line.pk].pk: line.budget_unit_price_yen * factor // 10_000 * 100
                  for line in lines}
        made.append(services.quote_create(
            order=order, supplier=supplier, quoted_on=quoted_on,
            valid_until=quoted_on + dt.timedelta(days=30), tax_included=False, prices=prices,
            actor=contractor))
    comparison = selectors.order_comparison(order)
    lowest = min((c for c in comparison.columns if c.complete), key=lambda c: c.total_yen)
    services.order_choose_quote(order=order, quote=lowest.quote, reason=reason, actor=contractor)
    return services.order_issue(order=order, number=number, ordered_on=ordered_on,
                                delivery_due=due, delivery_place=(
                                    f"{engagement.building} {engagement.floor} "
                                    f"{engagement.section}"), actor=contractor)


SATURDAY = dt.date(2026, 10, 31)  # the installation day


def seed(demo: Demo) -> None:
    engagement, city, contractor = demo.engagement, demo.city, demo.contractor
    if ProcurementPlan.objects.filter(engagement=engagement).exists():
        return
    if not selectors.approved_procure_lines(engagement):
        return
    plan = services.plan_start(engagement=engagement, actor=contractor)
    services.plan_budget_set(plan=plan, budget_yen=1_900_000, actor=city)
    lines = {line.catalogue_item.kind: [] for line in plan.lines.all()}
    for line in plan.lines.select_related("catalogue_item"):
        lines[line.catalogue_item.kind].append(line)
    for line in lines.get("locker", []):
        services.line_update(line=line, height_mm=1790, actor=contractor)
    tables_lockers, booths = _orders(demo, lines)
    tables = _deliver_and_inspect(demo, plan, tables_lockers + booths)
    _cabling(demo, plan, tables)
    _installation_days(demo)


def _supplier(engagement, name: str, actor):
    """The engagement's supplier of that name, added the first time (the seed re-runs)."""
    return (selectors.suppliers(engagement).filter(name=name).first()
            or services.supplier_create(engagement=engagement, name=name, actor=actor))


def _orders(demo: Demo, lines: dict) -> tuple[list, list]:
    """Two orders with their quotes; returns the lines of each."""
    engagement, contractor = demo.engagement, demo.contractor
    furniture, kyoto, heian = (_supplier(engagement, name, contractor) for name in SUPPLIERS)
    start = dt.date(2026, 10, 1)
    # Order 1: tables and lockers, three quotes (two are required below 1,000,000 yen).
    tables_lockers = lines.get("free_address_table", []) + lines.get("locker", [])
    _order(engagement, contractor, "フリーアドレステーブル・ロッカー", tables_lockers,
           [(furniture, start, 96), (kyoto, start + dt.timedelta(days=1), 92),
            (heian, start + dt.timedelta(days=2), 99)],
           number="R8-調-001", ordered_on=dt.date(2026, 10, 5), due=dt.date(2026, 10, 28))
    # Order 2: the booths; only two makers supply them, so fewer quotes than required.
    booths = lines.get("booth", [])
    _order(engagement, contractor, "集中ブース・Web会議ブース", booths,
           [(furniture, start, 104), (heian, start + dt.timedelta(days=2), 108)],
           number="R8-調-002", ordered_on=dt.date(2026, 10, 6), due=dt.date(2026, 10, 28),
           reason="防音ブースを扱う販売店が市内に2者しかなく、3者目の見積を得られなかったため。")
    return tables_lockers, booths


def _deliver_and_inspect(demo: Demo, plan, ordered: list) -> list:
    """Delivery, installation on the Saturday, inspection (one finding) and asset numbers;
    returns the tables' positions as read before their inspection."""
    engagement, city, contractor = demo.engagement, demo.city, demo.contractor
    delivered, saturday = dt.date(2026, 10, 28), SATURDAY
    for line in ordered:
        services.line_transition(line=line, target=PositionStatus.DELIVERED,
                                 quantity=line.quantity, day=delivered, actor=contractor)
    for position in _positions(plan, "S"):
        services.position_confirm_anchoring(position=position, actor=contractor)
    for line in ordered:
        services.line_transition(line=line, target=PositionStatus.INSTALLED,
                                 quantity=line.quantity, day=saturday, actor=contractor)
    inspected = dt.date(2026, 11, 4)
    # The booths' order passes inspection in full.
    services.positions_update(engagement=engagement, target=PositionStatus.INSPECTED,
                              position_ids=[p.pk for p in _positions(plan, "B")],
                              day=inspected, actor=city)
    # A locker has a finding, corrected and re-inspected; a table passes; the rest wait.
    lockers, tables = _positions(plan, "S"), _positions(plan, "T")
    if lockers:
        finding = services.finding_raise(
            position=lockers[0], text="扉の建付けが悪く、最下段の扉が閉まりきらない。",
            actor=city, day=inspected)
        services.finding_correct(finding=finding, actor=contractor, day=dt.date(2026, 11, 6),
                                 correction="扉の蝶番を調整し、全段の開閉を確認した。")
        services.finding_reinspect(finding=finding, passed=True, comment="是正を確認した。",
                                   actor=city, day=dt.date(2026, 11, 9))
    if tables:
        services.position_transition(position=tables[0], target=PositionStatus.INSPECTED,
                                     day=inspected, actor=city)
    numbers = {p.pk: f"備-2026-{i:04d}" for i, p in enumerate(
        Position.objects.filter(plan=plan, status=PositionStatus.INSPECTED).order_by("label"),
        start=1)}
    services.asset_numbers_set(engagement=engagement, numbers=numbers, actor=city)
    return tables


def _cabling(demo: Demo, plan, tables: list) -> None:
    engagement, contractor = demo.engagement, demo.contractor
    # Cabling: one OA tap per table and one for the booths; partly connected.
    taps = [services.oa_tap_create(engagement=engagement, label=f"TAP-{n}", actor=contractor)
            for n in (1, 2, 3)]
    for n, position in enumerate(tables + _positions(plan, "B")):
        values = {name: getattr(position, name) for name in services.REQUIREMENT_FIELDS}
        values["oa_tap"] = taps[min(n, 2)]
        services.position_requirements_update(position=position, values=values,
                                              actor=contractor)
    for i, position in enumerate(tables + _positions(plan, "B")):
        if i == len(tables):
            continue  # the first booth's cabling is still to be done
        lan_length = 62 if i == 1 else 35
        services.connection_add(position=position, kind=ConnectionKind.LAN,
                                count=position.required_lan, category="Cat6A" if i != 1 else
                                "Cat6", length_m=lan_length, label=f"SW1-{10 + i:02d}",
                                tested=i != 1, actor=contractor)
        services.connection_add(position=position, kind=ConnectionKind.POWER,
                                count=position.required_power, label=f"OA-{i + 1}",
                                tested=True, actor=contractor)


def _installation_days(demo: Demo) -> None:
    engagement, contractor, saturday = demo.engagement, demo.contractor, SATURDAY
    # Installation days: the Saturday, and a weekday evening after office hours.
    for date, start_t, end_t, planned, workers in (
        (saturday, dt.time(9, 0), dt.time(17, 0), "テーブル・ロッカー・ブースの搬入、組立、設置",
         "受託者 設置班 4名"),
        (dt.date(2026, 11, 5), dt.time(18, 0), dt.time(21, 0), "LAN・電源配線の敷設と試験",
         "受託者 配線担当 2名"),
    ):
        if not InstallationDay.objects.filter(engagement=engagement, date=date).exists():
            services.installation_day_save(engagement=engagement, actor=contractor, values={
                "date": date, "starts_at": start_t, "ends_at": end_t, "planned": planned,
                "workers": workers, "company": None, "note": ""})
