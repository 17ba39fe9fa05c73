"""Procurement part of the benchmark: a plan per office from its approved 案A, with 300 units.

Seed scale: the demo story. City scale: per office, the plan started from 案A (its new tables
and booths plus the kept desks), the lines grown to 300 units in all (bulk), and one issued
order with three quotes.
"""

import datetime as dt

from django.contrib.auth import get_user_model

from engagements.choices import Role
from procurement import services
from procurement.models import Order, PlanLine, Position, ProcurementPlan

UNITS = 300


def _member(engagement, role):
    return get_user_model().objects.filter(
        memberships__engagement=engagement, memberships__role=role).first()


def generate_procurement(engagements, scale: str) -> None:
    from engagements import demo
    from procurement import demo as procurement_demo

    procurement_demo.seed(demo.seed())
    for engagement in engagements[1:]:
        if ProcurementPlan.objects.filter(engagement=engagement).exists():
            continue
        contractor = _member(engagement, Role.CONTRACTOR)
        try:
            plan = services.plan_start(engagement=engagement, actor=contractor)
        except Exception:
            continue
        lines = list(plan.lines.all())
        template = Position.objects.filter(plan=plan).exclude(line=None).first()
        have = Position.objects.filter(plan=plan).count()
        extra = []
        for n in range(max(0, UNITS - have)):
            line = lines[n % len(lines)]
            extra.append(Position(
                engagement=engagement, plan=plan, line=line, label=f"X{n:03d}",
                kind=template.kind, floor_id=template.floor_id,
                x_mm=500 + (n % 25) * 1500, y_mm=20_000 + (n // 25) * 1200,
                width_mm=1000, depth_mm=1000, pc_count=1, monitor_count=1, required_lan=1,
                required_power=2))
        Position.objects.bulk_create(extra)
        for line in lines:
            PlanLine.objects.filter(pk=line.pk).update(quantity=line.positions.count())
        suppliers = [services.supplier_create(engagement=engagement, name=name,
                                              actor=contractor)
                     for name in ("ベンチ家具株式会社", "ベンチ商会", "ベンチ設備株式会社")]
        line = lines[0]
        order = services.order_create(engagement=engagement, title="什器", actor=contractor,
                                      quantities={line.pk: 10})
        order_line = order.lines.get()
        quotes = [services.quote_create(
            order=order, supplier=s, quoted_on=dt.date(2027, 6, 1), valid_until=None,
            tax_included=False, prices={order_line.pk: line.budget_unit_price_yen - i * 1000},
            actor=contractor) for i, s in enumerate(suppliers)]
        services.order_choose_quote(order=order, quote=quotes[-1], actor=contractor)
        services.order_issue(order=order, number=f"B-{engagement.pk}", delivery_place="2階",
                             ordered_on=dt.date(2027, 6, 5), delivery_due=dt.date(2027, 6, 30),
                             actor=contractor)


def _order_pk(engagement) -> int:
    order = Order.objects.filter(engagement=engagement).order_by("pk").first()
    return order.pk if order else 0


PAGES = [
    ("procurement plan", "procurement:index", lambda e: {"engagement_pk": e.pk}),
    ("procurement installation plan (300 units)", "procurement:plan",
     lambda e: {"engagement_pk": e.pk}),
    ("procurement tablet", "procurement:tablet", lambda e: {"engagement_pk": e.pk}),
    ("procurement orders", "procurement:order_list", lambda e: {"engagement_pk": e.pk}),
    ("procurement order and comparison", "procurement:order_detail",
     lambda e: {"engagement_pk": e.pk, "pk": _order_pk(e)}),
    ("procurement inspection", "procurement:inspection", lambda e: {"engagement_pk": e.pk}),
    ("procurement cabling", "procurement:cabling", lambda e: {"engagement_pk": e.pk}),
]
