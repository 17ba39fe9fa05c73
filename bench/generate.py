"""City-scale data for the benchmark: one engagement per ward office and branch.

Each stage app adds a step to GENERATORS: ``f(engagements: list[Engagement], scale: str)``
where ``scale`` is "seed" (the demo office only) or "city" (the 14 offices). Steps use
bulk_create so that generating the city stays within seconds.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.module_loading import import_string

from engagements import demo
from engagements.choices import Role
from engagements.models import Engagement, Membership, Organisation
from engagements.selectors import transfer_destinations

GENERATORS: list[str] = [
    "bench.survey.generate_survey",
    "bench.occupancy.generate_occupancy",
    "bench.proposals.generate_proposals",
    "bench.procurement.generate_procurement",
    "bench.meetings.generate_meetings",
    "bench.disposal.generate_disposal",
]

BENCH_PASSWORD = "bench-pass"


def _members(engagement: Engagement, prefix: str) -> None:
    user_model = get_user_model()
    users = {}
    for role in (Role.CITY_STAFF, Role.CONTRACTOR, Role.ADMINISTRATOR):
        username = f"{prefix}-{role}"
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(username, password=BENCH_PASSWORD)
        users[role] = user
    Membership.objects.bulk_create(
        [Membership(engagement=engagement, user=u, role=r) for r, u in users.items()],
        ignore_conflicts=True,
    )


def generate(scale: str) -> list[Engagement]:
    """The seed engagement (scale "seed"), or it plus one engagement per office ("city")."""
    story = demo.seed()
    _members(story.engagement, "seed")
    engagements = [story.engagement]
    if scale == "city":
        for number, office in enumerate(transfer_destinations(), start=1):
            engagement, _ = Engagement.objects.get_or_create(
                title=f"{office.name} 職場環境改革",
                defaults={
                    "client": office,
                    "section": office,
                    "building": f"{office.name}庁舎",
                    "floor": "2階",
                    "contract_start": dt.date(2027, 4, 1),
                    "contract_end": dt.date(2028, 3, 17),
                    "fiscal_year": 2027,
                    "contractor": "株式会社オフィスリフォーム京都",
                    "desk_count": 150,
                },
            )
            _members(engagement, f"office{number:02d}")
            engagements.append(engagement)
    for step in GENERATORS:
        import_string(step)(engagements, scale)
    return engagements


def organisation_count() -> int:
    return Organisation.objects.count()
