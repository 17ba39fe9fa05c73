"""Proposals part of the benchmark (engineer D): a proposal with three alternatives per office.

Seed scale: the demo story (案A approved, 案B returned). City scale: per office, 案A (60 of the
150 desks removed, 10 free-address tables and 20 booths added, two zones; approved with its
work lists), 案B (a copy of 案A, submitted) and 案C (the survey layout, draft).
"""

from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from engagements.choices import Role
from proposals import services
from proposals.choices import CatalogueKind, LayoutAction, ZoneKind
from proposals.models import Alternative, CatalogueItem, LayoutItem, Proposal, Zone

TITLE = "執務環境の改善提案"


def _member(engagement, role):
    return get_user_model().objects.filter(
        memberships__engagement=engagement, memberships__role=role
    ).first()


def generate_proposals(engagements, scale: str) -> None:
    from engagements import demo
    from proposals import demo as proposals_demo

    seeded = demo.seed()
    proposals_demo.seed(seeded)
    for engagement in engagements[1:]:
        if Proposal.objects.filter(engagement=engagement).exists():
            continue
        floor = engagement.floors.first()
        if floor is None:
            continue
        # Each engagement has its own catalogue: a copy of the demo's.
        services.catalogue_copy(source=seeded.engagement, target=engagement, actor=None)
        catalogue = {c.kind: c for c in CatalogueItem.objects.filter(
            engagement=engagement,
            kind__in=[CatalogueKind.FREE_ADDRESS_TABLE, CatalogueKind.BOOTH])}
        contractor = _member(engagement, Role.CONTRACTOR)
        city = _member(engagement, Role.CITY_STAFF)
        proposal = services.proposal_create(engagement=engagement, title=TITLE,
                                            actor=contractor)
        plan_a = services.alternative_create(proposal=proposal, label="案A", actor=contractor)
        desks = list(plan_a.items.filter(desk__isnull=False).order_by("pk")[:60])
        LayoutItem.objects.filter(pk__in=[i.pk for i in desks]).update(
            action=LayoutAction.REMOVE)
        new = [
            LayoutItem(alternative=plan_a, engagement=engagement, floor=floor,
                       action=LayoutAction.NEW, catalogue_item=entry, width_mm=entry.width_mm,
                       depth_mm=entry.depth_mm, x_mm=x, y_mm=y)
            for entry, positions in (
                (catalogue[CatalogueKind.FREE_ADDRESS_TABLE],
                 [(1000 + n * 3400, 14_000) for n in range(10)]),
                (catalogue[CatalogueKind.BOOTH], [(1000 + n * 1200, 17_500) for n in range(20)]),
            )
            for x, y in positions
        ]
        bulk_create_with_history(new, LayoutItem, default_user=contractor)
        Zone.objects.bulk_create([
            Zone(alternative=plan_a, engagement=engagement, floor=floor,
                 kind=ZoneKind.COLLABORATION, name="コラボスペース", capacity=12, x_mm=30_000,
                 y_mm=14_000, width_mm=6_000, depth_mm=4_000),
            Zone(alternative=plan_a, engagement=engagement, floor=floor, kind=ZoneKind.STANDING,
                 name="立ち会議", capacity=6, x_mm=30_000, y_mm=8_000, width_mm=3_000,
                 depth_mm=2_000),
        ])
        plan_b = services.alternative_create(proposal=proposal, label="案B", based_on=plan_a,
                                             actor=contractor)
        services.alternative_create(proposal=proposal, label="案C", actor=contractor)
        services.alternative_submit(alternative=plan_a, actor=contractor)
        # 案B is submitted before 案A is approved: once one is approved, no other is submitted.
        services.alternative_submit(alternative=plan_b, actor=contractor)
        services.alternative_approve(alternative=plan_a, actor=city)


def _alternative_pk(engagement) -> int:
    return Alternative.objects.filter(proposal__engagement=engagement).order_by("label")[0].pk


def _proposal_pk(engagement) -> int:
    return Proposal.objects.filter(engagement=engagement).order_by("pk")[0].pk


PAGES = [
    ("proposals index", "proposals:index", lambda e: {"engagement_pk": e.pk}),
    ("proposal alternative (figures, cost, plan)", "proposals:alternative_detail",
     lambda e: {"engagement_pk": e.pk, "pk": _alternative_pk(e)}),
    ("proposal layout editor", "proposals:alternative_editor",
     lambda e: {"engagement_pk": e.pk, "pk": _alternative_pk(e)}),
    ("proposal comparison", "proposals:comparison",
     lambda e: {"engagement_pk": e.pk, "pk": _proposal_pk(e)}),
    ("furniture catalogue", "proposals:catalogue_list", lambda e: {"engagement_pk": e.pk}),
]
