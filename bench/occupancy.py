"""Occupancy study and questionnaire part of the benchmark (engineer B).

City scale: in each of the 14 office engagements, one study of its 150 desks over 5 days ×
10 rounds (7,500 observations; 105,000 in all), and a before-the-reform questionnaire with
120 answers. Seed scale: the demo study (950 observations) and questionnaire.
"""

import datetime as dt
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from engagements.choices import Role
from survey.models import Desk, Observation, OccupancyRound, OccupancyStudy
from survey.models.occupancy import DEFAULT_ROUND_TIMES, DeskState
from survey.models.questionnaire import (
    SCORE_FIELDS,
    QuestionnaireResponse,
    QuestionnaireWave,
    WaveKind,
    WaveStatus,
)
from survey.services.occupancy import occupancy_results_update, working_days

RESPONSES_PER_OFFICE = 120
STATES = DeskState.values


def generate_occupancy(engagements, scale: str) -> None:
    from engagements import demo
    from survey import demo_occupancy

    demo_occupancy.seed(demo.seed())
    rng = random.Random(7)
    for engagement in engagements[1:]:
        if OccupancyStudy.objects.filter(engagement=engagement).exists():
            continue
        study = OccupancyStudy.objects.create(engagement=engagement, name="在席率調査")
        observer = engagement.memberships.get(role=Role.CITY_STAFF).user
        bulk_create_with_history(
            [
                OccupancyRound(
                    study=study, date=day, time=time, recorded_by=observer,
                    recorded_at=timezone.make_aware(dt.datetime.combine(day, time)),
                )
                for day in working_days(dt.date(2027, 5, 10))
                for time in DEFAULT_ROUND_TIMES
            ],
            OccupancyRound, default_user=observer,
        )
        rounds = list(OccupancyRound.objects.filter(study=study))
        desks = list(Desk.objects.filter(engagement=engagement).values_list("pk", flat=True))
        Observation.objects.bulk_create(
            (
                Observation(round=r, desk_id=desk, state=rng.choice(STATES))
                for r in rounds
                for desk in desks
            ),
            batch_size=2000,
        )
        occupancy_results_update(study)
        wave = QuestionnaireWave.objects.create(
            engagement=engagement, kind=WaveKind.BEFORE, status=WaveStatus.CLOSED
        )
        QuestionnaireResponse.objects.bulk_create(
            QuestionnaireResponse(
                wave=wave, section=engagement.section,
                **{name: rng.randint(1, 5) for name in SCORE_FIELDS},
                comment=f"意見{n}" if n % 5 == 0 else "",
            )
            for n in range(RESPONSES_PER_OFFICE)
        )
        QuestionnaireWave.objects.create(engagement=engagement, kind=WaveKind.AFTER)


def _study(engagement):
    return engagement.occupancy_studies.order_by("pk").first()


PAGES = [
    ("occupancy studies", "survey:occupancy_index", lambda e: {"engagement_pk": e.pk}),
    ("occupancy study rounds", "survey:occupancy_study",
     lambda e: {"engagement_pk": e.pk, "study_pk": _study(e).pk}),
    ("occupancy round screen", "survey:occupancy_round",
     lambda e: {"engagement_pk": e.pk, "study_pk": _study(e).pk,
                "round_pk": _study(e).rounds.order_by("date", "time").first().pk}),
    ("occupancy analysis", "survey:occupancy_analysis",
     lambda e: {"engagement_pk": e.pk, "study_pk": _study(e).pk}),
    ("questionnaire", "survey:questionnaire_index", lambda e: {"engagement_pk": e.pk}),
    ("questionnaire results", "survey:questionnaire_wave",
     lambda e: {"engagement_pk": e.pk,
                "wave_pk": e.questionnaire_waves.get(kind=WaveKind.BEFORE).pk}),
]
