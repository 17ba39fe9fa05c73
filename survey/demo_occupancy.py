"""Demo occupancy study and questionnaire of the seed office (after ``survey.demo.seed``).

One study of the 19 desks of 区政・スマート区役所推進担当: 5 working days × 10 hourly rounds,
about half the desks occupied; a before-the-reform questionnaire with 15 answers (closed) and
an after wave in preparation. Deterministic (``random.Random``) and idempotent: what exists is
left as it is.
"""

import datetime as dt
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from engagements.demo import Demo, upsert

from .models import Desk
from .models.occupancy import (
    DEFAULT_ROUND_TIMES,
    DeskState,
    Observation,
    OccupancyRound,
    OccupancyStudy,
)
from .models.questionnaire import SCORE_FIELDS, QuestionnaireWave, WaveKind, WaveStatus
from .services.questionnaire import (
    questionnaire_response_submit,
    questionnaire_wave_create,
    questionnaire_wave_transition,
)

SEED = 20260713
FIRST_DAY = dt.date(2026, 7, 13)  # a Monday, two weeks into the contract
# Share of desks in use by time of day (8:30 … 17:30): lunch and the end of the day dip.
PROFILE = (0.55, 0.62, 0.55, 0.5, 0.38, 0.52, 0.5, 0.55, 0.58, 0.4)
AWAY_STATES = (DeskState.MEETING, DeskState.TELEWORK, DeskState.OUT, DeskState.ABSENT)
AWAY_WEIGHTS = (0.4, 0.2, 0.15, 0.25)
COMMENTS = (
    "会議室が予約で埋まっていることが多く、打合せ場所に困る。",
    "書類が多く、机の上が片付かない。",
    "在宅勤務の日に紙の資料が見られず不便。",
    "集中して作業できる席がほしい。",
    "複合機まで遠い。",
    "ウェブ会議用の静かな場所が必要。",
)


def _study(demo: Demo) -> OccupancyStudy:
    study = upsert(
        OccupancyStudy,
        {"engagement": demo.engagement, "name": "在席率調査（改革前）"},
        {"margin_percent": 10, "notes": "別紙2の赤枠（19席）を対象に、毎時30分に巡回。"},
    )
    if not study.sections.exists():
        study.sections.set([demo.site])
    return study


def seed_occupancy(demo: Demo) -> OccupancyStudy:
    study = _study(demo)
    rng = random.Random(SEED)
    desks = list(Desk.objects.filter(engagement=demo.engagement, section=demo.site)
                 .order_by("number"))
    days = [FIRST_DAY + dt.timedelta(days=n) for n in range(5)]
    # Each person has a habit: the chief is often in meetings; two staff telework on one day.
    presence = {desk.pk: rng.uniform(0.75, 1.2) for desk in desks}
    telework_day = {desk.pk: rng.choice([None, None, None, 1, 3]) for desk in desks}
    new = []
    for day_index, day in enumerate(days):
        for time_index, time in enumerate(DEFAULT_ROUND_TIMES):
            recorded_at = timezone.make_aware(dt.datetime.combine(day, time)) + dt.timedelta(
                minutes=8
            )
            round_obj = upsert(
                OccupancyRound,
                {"study": study, "date": day, "time": time},
                {"recorded_at": recorded_at, "recorded_by": demo.city},
            )
            existing = set(round_obj.observations.values_list("desk_id", flat=True))
            for desk in desks:
                if telework_day[desk.pk] == day_index:
                    state = DeskState.TELEWORK
                elif rng.random() < PROFILE[time_index] * presence[desk.pk]:
                    state = DeskState.PRESENT if rng.random() < 0.82 else DeskState.AWAY
                else:
                    state = rng.choices(AWAY_STATES, AWAY_WEIGHTS)[0]
                if desk.pk not in existing:
                    new.append(Observation(round=round_obj, desk=desk, state=state))
    if new:
        bulk_create_with_history(new, Observation, default_user=demo.city)
    from .services.occupancy import occupancy_results_update

    occupancy_results_update(study)
    return study


def seed_questionnaire(demo: Demo) -> None:
    engagement = demo.engagement
    if not QuestionnaireWave.objects.filter(engagement=engagement, kind=WaveKind.BEFORE).exists():
        rng = random.Random(SEED + 1)
        wave = questionnaire_wave_create(
            engagement=engagement, kind=WaveKind.BEFORE, actor=demo.city,
            planned_start=FIRST_DAY, planned_end=FIRST_DAY + dt.timedelta(days=4),
            note="紙の調査票は使わず、タブレットを回覧して回答。",
        )
        wave = questionnaire_wave_transition(wave=wave, target=WaveStatus.OPEN, actor=demo.city)
        # Satisfaction is low for meeting space and storage, which matter most.
        base = {"desk": 3.2, "meeting": 2.2, "shared": 2.8, "storage": 2.1, "overall": 2.9}
        weight = {"desk": 4.2, "meeting": 4.4, "shared": 3.4, "storage": 4.0, "overall": 4.1}
        for index in range(15):
            answers = {}
            for name in SCORE_FIELDS:
                kind, _sep, area = name.partition("_")
                centre = {"satisfaction": base, "importance": weight}.get(kind, {}).get(area)
                if centre is None:
                    centre = 3.4 if name == "telework_readiness" else 2.7
                answers[name] = min(5, max(1, round(rng.gauss(centre, 0.8))))
            questionnaire_response_submit(
                wave=wave, answers=answers, actor=demo.city,
                section=demo.site if index < 12 else None,
                comment=COMMENTS[index] if index < len(COMMENTS) else "",
            )
        questionnaire_wave_transition(
            wave=wave, target=WaveStatus.CLOSED, actor=demo.city, note="回答期間終了"
        )
    if not QuestionnaireWave.objects.filter(engagement=engagement, kind=WaveKind.AFTER).exists():
        questionnaire_wave_create(
            engagement=engagement, kind=WaveKind.AFTER, actor=demo.city,
            note="改革後2か月を目安に実施。",
        )


def seed(demo: Demo) -> None:
    seed_occupancy(demo)
    seed_questionnaire(demo)
