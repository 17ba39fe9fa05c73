from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from .choices import OrganisationKind
from .models import Engagement, Membership, Organisation, StageProgressSnapshot


def engagement_list_for_user(*, user: AbstractBaseUser) -> QuerySet[Engagement]:
    """The engagements ``user`` is a member of: the only ones they may see."""
    if not user.is_authenticated:
        return Engagement.objects.none()
    return (
        Engagement.objects.filter(memberships__user=user, memberships__is_active=True)
        .select_related("client", "section")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__is_active=True), distinct=True
            )
        )
    )


def membership_get_for_user(*, user: AbstractBaseUser, engagement_pk: int) -> Membership:
    """The user's membership of an engagement; 404 if they are not a member (or it is absent)."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Membership.objects.select_related(
            "engagement", "engagement__client", "engagement__section"
        ).annotate(
            # The engagement's data generation as the request starts, in the same query: pages
            # key what they cache on it (``engagements.fragments``).
            engagement_generation=Subquery(StageProgressSnapshot.objects.filter(
                engagement=OuterRef("engagement")).values("generation")[:1]),
        ).get(engagement_id=engagement_pk, user=user)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


@dataclass
class OrgNode:
    unit: Organisation
    children: list["OrgNode"] = field(default_factory=list)


def organisation_tree(*, root: Organisation) -> OrgNode:
    """``root`` and its descendants as a tree in display order.

    One query: the whole table is small (a city has hundreds of units, not millions).
    """
    nodes = {unit.pk: OrgNode(unit) for unit in Organisation.objects.all()}
    for node in nodes.values():
        if node.unit.parent_id in nodes:
            nodes[node.unit.parent_id].children.append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: (n.unit.sort_order, n.unit.name))
    return nodes[root.pk]


def transfer_destinations() -> QuerySet[Organisation]:
    """Ward offices and branches: where unneeded furniture may be moved, and future sites."""
    return Organisation.objects.filter(
        kind__in=[OrganisationKind.WARD_OFFICE, OrganisationKind.BRANCH]
    ).order_by("sort_order")
