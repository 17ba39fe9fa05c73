"""Which occupancy study and questionnaire wave count as before (改革前) and after (改革後).

The engagement designates them (``Engagement.baseline_study`` …). Rule: an unfinished study
never replaces a finished one — not in the proposals, the comparison or the report. A study is
finished when it has rounds and every round is recorded; a wave when it is closed.

- ``baseline_study``: the designated baseline when finished; else the finished study recorded
  first; only when no study is finished, the designated (else latest) study with any records,
  so that a study in progress still gives provisional figures before anything is finished.
- ``followup_study``: the designated follow-up, only once finished (never provisional).
"""

from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext_lazy as _

from .models import OccupancyStudy
from .models.questionnaire import QuestionnaireWave, WaveKind, WaveStatus


def _studies(engagement):
    return (
        OccupancyStudy.objects.filter(engagement=engagement)
        .annotate(
            round_count=Count("rounds", distinct=True),
            recorded_count=Count("rounds", filter=Q(rounds__recorded_at__isnull=False),
                                 distinct=True),
            first_date=Min("rounds__date"),
            last_date=Max("rounds__date"),
        )
        .order_by("first_date", "pk")
    )


def study_finished(study) -> bool:
    """Every planned round recorded (needs the annotations of ``_studies`` or queries)."""
    rounds = getattr(study, "round_count", None)
    recorded = getattr(study, "recorded_count", None)
    if rounds is None:
        rounds = study.rounds.count()
        recorded = study.rounds.filter(recorded_at__isnull=False).count()
    return rounds > 0 and recorded == rounds


def study_status(engagement) -> list[dict]:
    """Every study with its state and designation, for the report page and its check."""
    return [
        {
            "study": s,
            "finished": study_finished(s),
            "rounds": s.round_count,
            "recorded": s.recorded_count,
            "first_date": s.first_date,
            "last_date": s.last_date,
            "baseline": s.pk == engagement.baseline_study_id,
            "followup": s.pk == engagement.followup_study_id,
        }
        for s in _studies(engagement)
    ]


def baseline_study(engagement) -> OccupancyStudy | None:
    studies = list(_studies(engagement))
    finished = [s for s in studies if study_finished(s)]
    designated = next((s for s in studies if s.pk == engagement.baseline_study_id), None)
    if designated is not None and study_finished(designated):
        return designated
    followup_id = engagement.followup_study_id
    candidates = [s for s in finished if s.pk != followup_id] or finished
    if candidates:
        return candidates[0]
    if designated is not None and designated.recorded_count:
        return designated
    recorded = [s for s in studies if s.recorded_count and s.pk != followup_id]
    return recorded[-1] if recorded else None


def followup_study(engagement) -> OccupancyStudy | None:
    if engagement.followup_study_id is None:
        return None
    study = _studies(engagement).filter(pk=engagement.followup_study_id).first()
    return study if study is not None and study_finished(study) else None


def _wave(engagement, designated_id, kind) -> QuestionnaireWave | None:
    waves = list(QuestionnaireWave.objects.filter(engagement=engagement))
    wave = next((w for w in waves if w.pk == designated_id), None)
    if wave is None:
        wave = next((w for w in waves if w.kind == kind), None)
    return wave


def baseline_wave(engagement) -> QuestionnaireWave | None:
    """The designated (else the 改革前) wave; any state, as its answers are counted as they
    come; the report marks a wave that is not closed."""
    return _wave(engagement, engagement.baseline_wave_id, WaveKind.BEFORE)


def followup_wave(engagement) -> QuestionnaireWave | None:
    """The designated (else the 改革後) wave, only once closed."""
    wave = _wave(engagement, engagement.followup_wave_id, WaveKind.AFTER)
    return wave if wave is not None and wave.status == WaveStatus.CLOSED else None


def study_report_context(study) -> dict:
    """What the report's survey chapter shows of one study (its analysis, through the
    occupancy selectors), with whether it is finished."""
    from .selectors import occupancy

    analysis = occupancy.study_analysis(study)
    if not analysis["observation_count"]:
        return {"study": None}
    info = _studies(study.engagement).get(pk=study.pk)
    times = sorted(study.rounds.values_list("time", flat=True).distinct())
    return {
        **analysis,
        "first_date": info.first_date,
        "last_date": info.last_date,
        "first_time": times[0] if times else None,
        "last_time": times[-1] if times else None,
        "finished": study_finished(info),
        "day_count": study.rounds.values("date").distinct().count(),
        "charts": occupancy.analysis_charts(analysis),
        "heat_maps": occupancy.heat_maps(analysis, for_print=True),
        "legend": occupancy.heat_legend(title=str(_("Average occupancy"))),
    }
