"""Writes of the occupancy study: studies, their rounds, and the desks' states in a round."""

import datetime as dt
from dataclasses import dataclass

import jpholiday
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from engagements.concurrency import check_version, stale_edit
from engagements.history import set_change_reason
from engagements.models import Engagement
from engagements.permissions import Action, require_member
from engagements.services import set_history_actor

from ..excel.bulk import insert_rows
from ..models import Desk, DeskResult, SectionResult, SectionStaffing, StudyResult, TimeResult
from ..models.occupancy import (
    DEFAULT_DAYS,
    DEFAULT_ROUND_TIMES,
    DeskState,
    Observation,
    OccupancyRound,
    OccupancyStudy,
)
from ..selectors.occupancy import study_desk_queryset

# A study of two weeks at 20 rounds a day is large; more is almost certainly a typing error.
MAX_ROUNDS_PER_STUDY = 400
STUDY_FIELDS = ("name", "margin_percent", "core_hours_only", "core_start", "core_end", "notes")


# simple-history keeps a change reason of at most this many characters.
REASON_LENGTH = 100


def _sections_change(study: OccupancyStudy, sections) -> tuple[list, str] | None:
    """The sections to observe and the history note saying how they change, or None.

    They must be sections with desks or staff on the site. The note ("観察する担当: A → A、B")
    goes on the study's history row, whose fields do not include the many-to-many sections.
    """
    if sections is None:
        return None
    wanted = {s.pk: s for s in sections}
    allowed = set(
        Desk.objects.filter(engagement_id=study.engagement_id).values_list("section", flat=True)
    ) | set(
        SectionStaffing.objects.filter(engagement_id=study.engagement_id)
        .values_list("section", flat=True)
    )
    if set(wanted) - allowed:
        raise ValidationError({"sections": _("Choose sections of this engagement's site.")})
    before = list(study.sections.order_by("sort_order", "name")) if study.pk else []
    if set(wanted) == {s.pk for s in before}:
        return None
    after = sorted(wanted.values(), key=lambda s: (s.sort_order, s.name))

    def names(units) -> str:
        return "、".join(u.name for u in units) or str(_("every desk"))

    note = str(_("Sections observed: %(before)s → %(after)s")) % {
        "before": names(before), "after": names(after)
    }
    if len(note) > REASON_LENGTH:
        note = note[: REASON_LENGTH - 1] + "…"
    return after, note


# City offices close from 29 December to 3 January (年末年始, set by each city's ordinance on
# its holidays); a project that knows other closed days sets OFFICE_REFORM["OFFICE_CLOSED_DAYS"]
# to (month, day) pairs.
YEAR_END_CLOSURE = ((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))


def office_closed(day: dt.date) -> str | None:
    """Why the office is closed on a weekday: a public holiday's name or 年末年始; else None.

    Public holidays, substitute holidays and 国民の休日 come from jpholiday, which follows
    the Act on National Holidays year by year.
    """
    name = jpholiday.is_holiday_name(day)
    if name:
        return name
    closed = getattr(settings, "OFFICE_REFORM", {}).get("OFFICE_CLOSED_DAYS", YEAR_END_CLOSURE)
    if (day.month, day.day) in closed:
        return str(_("Year-end and New Year closure"))
    return None


def working_days(
    start: dt.date, count: int = DEFAULT_DAYS, *, skipped: list | None = None
) -> list[dt.date]:
    """``count`` working days from ``start`` on: weekends and days the office is closed skipped.

    The weekdays left out for a public holiday or the year-end closure are appended to
    ``skipped`` as (date, reason), so the person planning the study can be told.
    """
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            reason = office_closed(day)
            if reason is None:
                days.append(day)
            elif skipped is not None:
                skipped.append((day, reason))
        day += dt.timedelta(days=1)
    return days


def round_times(
    first: dt.time = DEFAULT_ROUND_TIMES[0],
    last: dt.time = DEFAULT_ROUND_TIMES[-1],
    interval_minutes: int = 60,
) -> list[dt.time]:
    """The times from ``first`` to ``last`` (inclusive) every ``interval_minutes``."""
    if interval_minutes <= 0:
        raise ValidationError({"interval_minutes": _("The interval must be at least 1 minute.")})
    if last < first:
        raise ValidationError({"last_time": _("The last round cannot be before the first.")})
    times, minutes = [], first.hour * 60 + first.minute
    end = last.hour * 60 + last.minute
    while minutes <= end:
        times.append(dt.time(minutes // 60, minutes % 60))
        minutes += interval_minutes
    return times


@transaction.atomic
def occupancy_study_create(
    *, engagement: Engagement, actor: AbstractBaseUser, **fields
) -> OccupancyStudy:
    """Create a study (name unique in the engagement, core hours ending after they start)."""
    require_member(actor, engagement, Action.EDIT_SURVEY)
    study = OccupancyStudy(engagement=engagement, **{k: fields[k] for k in fields
                                                      if k in STUDY_FIELDS})
    study.full_clean()
    sections = _sections_change(study, fields.get("sections"))
    set_history_actor(study, actor)
    if sections is not None:
        set_change_reason(study, sections[1])
    study.save()
    if sections is not None:
        study.sections.set(sections[0])
    occupancy_results_update(study)
    return study


@transaction.atomic
def occupancy_study_update(
    *, study: OccupancyStudy, actor: AbstractBaseUser, version: int | None = None, **fields
) -> OccupancyStudy:
    """Change a study's settings (margin, core hours, sections, notes) in one history row.

    The analysis follows at once. ``version`` (the one the form was opened with) refuses a
    stale edit.
    """
    study = OccupancyStudy.objects.select_for_update().get(pk=study.pk)
    require_member(actor, study.engagement, Action.EDIT_SURVEY)
    check_version(study, version, fields=[k for k in STUDY_FIELDS if k in fields])
    changed = [k for k in STUDY_FIELDS if k in fields and getattr(study, k) != fields[k]]
    for name in changed:
        setattr(study, name, fields[name])
    sections = _sections_change(study, fields.get("sections"))
    if changed or sections is not None:
        study.full_clean()
        set_history_actor(study, actor)
        if sections is not None:
            # One history row for the whole change; it names the sections before and after.
            set_change_reason(study, sections[1])
            study.sections.set(sections[0])
        study.bump_version()
        study.save(update_fields=[*changed, "version"])
        occupancy_results_update(study)
    return study


@transaction.atomic
def occupancy_rounds_generate(
    *,
    study: OccupancyStudy,
    dates: list[dt.date],
    times: list[dt.time],
    actor: AbstractBaseUser,
) -> list[OccupancyRound]:
    """Plan the rounds dates × times; slots that already exist are kept as they are.

    Returns the new rounds. Refuses more than ``MAX_ROUNDS_PER_STUDY`` rounds in the study.
    """
    study = OccupancyStudy.objects.select_for_update().get(pk=study.pk)
    require_member(actor, study.engagement, Action.EDIT_SURVEY)
    if not dates or not times:
        raise ValidationError(_("Choose at least one day and one time."))
    existing = set(study.rounds.values_list("date", "time"))
    wanted = sorted({(d, t) for d in dates for t in times} - existing)
    if len(existing) + len(wanted) > MAX_ROUNDS_PER_STUDY:
        raise ValidationError(
            _("A study can have at most %(max)s rounds.") % {"max": MAX_ROUNDS_PER_STUDY}
        )
    rounds = [OccupancyRound(study=study, date=d, time=t) for d, t in wanted]
    return bulk_create_with_history(rounds, OccupancyRound, default_user=actor)


@dataclass
class RoundRecordResult:
    created: int
    changed: int


@transaction.atomic
def occupancy_round_record(
    *, round: OccupancyRound, states: dict[int, str], actor: AbstractBaseUser,
    versions: dict[int, int] | None = None,
) -> RoundRecordResult:
    """Save the states of a round's desks in one go: all or nothing.

    Every desk must be one the study observes (a desk of its engagement, and of its sections
    when it names any) and every state must be one of
    ``DeskState``; otherwise nothing is written and the errors name the desks. New states are
    created, changed ones updated (a correction: its history row keeps the state before and
    after, with the actor); desks not in ``states`` keep what they had. A fixed number of
    queries whatever the number of desks.

    ``versions``: desk → version of its observation when the form was opened (a desk not
    named had none). A desk whose state would change but whose observation somebody saved
    since is a ``StaleEdit`` naming the desks and their current states; nothing is written.
    """
    round = (
        OccupancyRound.objects.select_for_update()
        .select_related("study__engagement")
        .get(pk=round.pk)
    )
    engagement = round.study.engagement
    require_member(actor, engagement, Action.EDIT_SURVEY)
    states = {int(desk_id): state for desk_id, state in states.items()}
    known = dict(
        study_desk_queryset(round.study).filter(pk__in=list(states)).values_list("pk", "number")
    )
    errors = {}
    for desk_id, state in states.items():
        if desk_id not in known:
            errors[f"desk_{desk_id}"] = _("This desk is not part of this study.")
        elif state not in DeskState.values:
            errors[f"desk_{desk_id}"] = _("Desk %(number)s: choose one of the states.") % {
                "number": known[desk_id]
            }
    if errors:
        raise ValidationError(errors)
    existing = {
        o.desk_id: o for o in Observation.objects.select_for_update().filter(round=round)
    }
    if versions is not None:
        _check_observation_versions(existing, states, versions, known)
    # A new observation starts at version 1: a form that saw the desk unrecorded (0) is stale.
    new = [
        Observation(round=round, desk_id=desk_id, state=state, version=1)
        for desk_id, state in states.items()
        if desk_id not in existing
    ]
    changed = []
    for desk_id, state in states.items():
        observation = existing.get(desk_id)
        if observation is not None and observation.state != state:
            observation.state = state
            observation.bump_version()
            changed.append(observation)
    if new:
        bulk_create_with_history(new, Observation, default_user=actor)
    if changed:
        bulk_update_with_history(changed, Observation, ["state", "version"],
                                 default_user=actor)
    if new or changed:
        round.recorded_at = timezone.now()
        round.recorded_by = actor
        set_history_actor(round, actor)
        round.save(update_fields=["recorded_at", "recorded_by"])
        occupancy_results_update(round.study)
    return RoundRecordResult(created=len(new), changed=len(changed))


def _check_observation_versions(existing: dict, states: dict[int, str],
                                versions: dict[int, int], numbers: dict[int, str]) -> None:
    """Refuse the round's save when a desk it changes was saved by somebody else since the
    form was opened (its observation's version is not the one the form saw)."""
    stale = []
    for desk_id, state in states.items():
        observation = existing.get(desk_id)
        current = observation.version if observation is not None else 0
        if observation is not None and observation.state == state:
            continue
        if versions.get(desk_id, 0) != current:
            stale.append((numbers[desk_id], observation.get_state_display()
                          if observation is not None else "—"))
    if stale:
        raise stale_edit(stale)


# --- The stored analysis ----------------------------------------------------------------------


def occupancy_results_update(study: OccupancyStudy) -> None:
    """Store the study's analysis (per desk, section, time of day, and the recommendation).

    The one writer of the results: called inside the transaction of every change they depend
    on (a round recorded, the study's settings, its desks or the staffing), so readers never
    see results older than the data. Replaces the rows in a fixed number of queries.
    """
    from ..selectors.occupancy import compute_study_analysis

    analysis = compute_study_analysis(study)

    def peak(figure):
        if figure.peak is None:
            return {"peak_occupied": None, "peak_observed": None}
        return {"peak_occupied": figure.peak.numerator, "peak_observed": figure.peak.denominator}

    def counts(figure):
        return {"observed": figure.observed, "occupied": figure.occupied, **peak(figure)}

    DeskResult.objects.filter(study=study).delete()
    SectionResult.objects.filter(study=study).delete()
    TimeResult.objects.filter(study=study).delete()
    # A row per desk (thousands in a large office): written as plain values, not models.
    names = ["study", "desk", "observed", "occupied", "peak_occupied", "peak_observed"]
    insert_rows(DeskResult, [DeskResult._meta.get_field(n) for n in names], [
        [study.pk, f.extra["desk"].pk, f.observed, f.occupied,
         *((f.peak.numerator, f.peak.denominator) if f.peak is not None else (None, None))]
        for f in analysis.desks
    ])
    SectionResult.objects.bulk_create(
        [SectionResult(study=study, section_id=f.extra["section_id"], desks=f.desks,
                       headcount=f.headcount, seats=f.seats, **counts(f))
         for f in analysis.sections]
    )
    TimeResult.objects.bulk_create(
        [TimeResult(study=study, time=f.extra["time"], **counts(f)) for f in analysis.times]
    )
    overall = analysis.overall
    StudyResult.objects.update_or_create(
        study=study,
        defaults={
            **counts(overall), "desks": overall.desks, "headcount": overall.headcount,
            "seats": overall.seats, "round_count": analysis.round_count,
            "observation_count": analysis.observation_count,
            "state_counts": {s["state"].value: s["count"] for s in analysis.states if s["count"]},
            "has_staffing": analysis.has_staffing,
        },
    )


def occupancy_results_update_engagement(engagement_id: int) -> None:
    """Store again the analysis of each of an engagement's studies: after a change of its
    desks (added, removed, moved to another section) or of its staffing."""
    for study in OccupancyStudy.objects.filter(engagement_id=engagement_id):
        occupancy_results_update(study)
