from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
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


def other_engagement_count(*, user: AbstractBaseUser, engagement: Engagement) -> int:
    """How many engagements besides ``engagement`` the user is an active member of."""
    return Membership.objects.filter(user=user).exclude(engagement=engagement).count()


def membership_get_for_user(*, user: AbstractBaseUser, engagement_pk: int,
                            load_engagement: bool = True) -> Membership:
    """The user's membership of an engagement; 404 if they are not a member (or it is absent).

    Every page inside an engagement starts here, so it is one plain query: the active
    membership and the engagement's data generation (``engagement_generation``; pages key what
    they cache on it). The engagement with its client and section is read from the cache
    under that generation (any change of the engagement or of an organisation makes a new
    one), else from the database; ``load_engagement=False`` leaves it to be read when used
    (a service checking a role).
    """
    if not user.is_authenticated:
        raise Http404
    membership = next(iter(Membership.objects.raw(
        _MEMBERSHIP_SQL.format(
            membership=Membership._meta.db_table,
            snapshot=StageProgressSnapshot._meta.db_table,
        ),
        [engagement_pk, user.pk],
    )), None)
    if membership is None:
        raise Http404
    if not load_engagement:
        return membership
    generation = membership.engagement_generation
    key = f"engagement:{engagement_pk}:{generation}"
    engagement = cache.get(key) if generation is not None else None
    if engagement is None:
        engagement = Engagement.objects.select_related("client", "section").get(pk=engagement_pk)
        if generation is not None:
            cache.set(key, engagement, 60 * 60)
    membership.engagement = engagement
    return membership


# Membership.objects (active members only) and the snapshot's generation, without the ORM's
# compilation of a join and a subquery on every request (a millisecond of two and a half).
_MEMBERSHIP_SQL = (
    'SELECT m."id", m."engagement_id", m."user_id", m."role", m."organisation_id", '
    'm."is_active", s."generation" AS "engagement_generation" '
    'FROM "{membership}" m LEFT OUTER JOIN "{snapshot}" s ON s."engagement_id" = m."engagement_id" '
    'WHERE m."engagement_id" = %s AND m."user_id" = %s AND m."is_active"'
)


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


def colleague_named(actor, username: str):
    """The active user called ``username`` who is or was a member of an engagement ``actor``
    is a member of, or None.

    The members page adds only such people, so that it never tells whether a name exists in
    an engagement the administrator is not part of (an unknown name and a name elsewhere get
    the same answer)."""
    shared = Membership.objects.filter(user=actor).values("engagement_id")
    return (get_user_model().objects
            .filter(username__iexact=(username or "").strip(), is_active=True,
                    memberships__engagement_id__in=shared)
            .distinct().first())
