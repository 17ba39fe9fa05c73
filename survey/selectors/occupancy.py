"""Reads of the occupancy study: the rounds, and the analysis by desk, section and time.

The occupancy rate counts a desk as occupied when it is 在席 (present) or 一時離席 (briefly
away: "signs of life"); 会議, 在宅, 出張・休暇 and 不在 count as not at the desk. A rate is the
occupied observations divided by all observations of the group. The peak is the highest
rate of any one round (for a desk: of any one day). Seats recommended for free address =
⌈headcount × peak × (1 + margin)⌉, with the headcount from the survey's section staffing.

Every figure comes from database aggregation: a fixed number of queries whatever the number
of observations (100,000 at city scale).
"""

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from fractions import Fraction

from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext_lazy as _

from engagements.drawing import FloorItems, LegendEntry, draw_plan

from .. import round_screen as screen
from ..models import (
    Desk,
    DeskResult,
    Floor,
    SectionResult,
    SectionStaffing,
    StudyResult,
    TimeResult,
)
from ..models.occupancy import (
    OCCUPIED_STATES,
    STATE_COLOURS,
    DeskState,
    Observation,
    OccupancyRound,
    OccupancyStudy,
)
from ..occupancy_svg import (
    column_chart,
    grouped_bar_chart,
    heat_colour,
    heat_legend,
)
from ..plan_svg import PlanItem
from ..scope import scope_of

# The reference printed beside the results, with its source (reports.references "occupancy"):
# 経済産業省 令和元年度 オフィス利用状況に関する実態調査 (2020), 3,970 staff: 在席率 55%.
TYPICAL_OCCUPANCY = Fraction(55, 100)
NO_SECTION = _("No section")
OCCUPIED = Q(state__in=list(OCCUPIED_STATES))


def rate(occupied: int, observed: int) -> Fraction | None:
    return Fraction(occupied, observed) if observed else None


def percent(value) -> int | None:
    return None if value is None else round(float(value) * 100)


def seats_needed(headcount: int, peak: Fraction | None, margin_percent: int) -> int | None:
    """⌈headcount × peak × (1 + margin)⌉, computed exactly (no floating-point rounding)."""
    if peak is None or not headcount:
        return None
    return math.ceil(headcount * peak * (1 + Fraction(margin_percent, 100)))


def study_list(engagement):
    return OccupancyStudy.objects.filter(engagement=engagement).annotate(
        round_count=Count("rounds", distinct=True),
        recorded_count=Count("rounds", filter=Q(rounds__recorded_at__isnull=False), distinct=True),
    )


def study_rounds(study: OccupancyStudy) -> list[dict]:
    """The study's rounds by date: [{date, rounds: [round with observed count]}]. One query."""
    rounds = (
        OccupancyRound.objects.filter(study=study)
        .annotate(
            observed=Count("observations"),
            occupied=Count("observations", filter=Q(observations__state__in=OCCUPIED_STATES)),
        )
        .order_by("date", "time")
    )
    days: dict = defaultdict(list)
    for item in rounds:
        item.rate_percent = percent(rate(item.occupied, item.observed))
        days[item.date].append(item)
    return [{"date": date, "rounds": items} for date, items in days.items()]


def study_desk_queryset(study: OccupancyStudy):
    """The desks the study observes: those of its sections, or all of the engagement's."""
    desks = Desk.objects.filter(engagement_id=study.engagement_id)
    section_ids = [s.pk for s in study.sections.all()]
    if section_ids:
        desks = desks.filter(section__in=section_ids)
    return desks


def study_desks(study: OccupancyStudy) -> list[Desk]:
    return list(
        study_desk_queryset(study).select_related("section", "floor")
        .order_by("floor__sort_order", "floor__name", "number")
    )


def round_states(round_obj: OccupancyRound) -> dict[int, str]:
    return dict(Observation.objects.filter(round=round_obj).values_list("desk_id", "state"))


def round_versions(round_obj: OccupancyRound, desk_ids) -> dict[int, int]:
    """desk → version of its observation in the round, for the desks of the page (the round
    form's stale check)."""
    return dict(Observation.objects.filter(round=round_obj, desk_id__in=desk_ids)
                .values_list("desk_id", "version"))


@dataclass
class Corrected:
    desk: str
    when: object
    who: object
    before: str
    after: str


def round_corrections(round_obj: OccupancyRound) -> list[Corrected]:
    """Each change of a desk's state after it was first recorded: before, after, who, when.

    One query over the observations' history rows of the round.
    """
    records = (
        Observation.history.filter(round_id=round_obj.pk)
        .select_related("history_user")
        .order_by("desk_id", "history_date", "history_id")
    )
    labels = dict(DeskState.choices)
    numbers = dict(Desk.objects.filter(observations__round=round_obj).values_list("pk", "number"))
    previous: dict[int, str] = {}
    result = []
    for record in records:
        before = previous.get(record.desk_id)
        if before is not None and before != record.state:
            result.append(
                Corrected(
                    desk=numbers.get(record.desk_id, record.desk_id),
                    when=record.history_date,
                    who=record.history_user,
                    before=labels.get(before, before),
                    after=labels.get(record.state, record.state),
                )
            )
        previous[record.desk_id] = record.state
    return sorted(result, key=lambda c: c.when, reverse=True)


def round_neighbours(round_obj: OccupancyRound) -> tuple[int | None, int | None]:
    """The pks of the study's rounds before and after this one (by date and time)."""
    siblings = list(
        OccupancyRound.objects.filter(study_id=round_obj.study_id).order_by("date", "time")
        .values_list("pk", flat=True)
    )
    index = siblings.index(round_obj.pk)
    return (siblings[index - 1] if index > 0 else None,
            siblings[index + 1] if index + 1 < len(siblings) else None)


def state_legend() -> list[dict]:
    """The desk states with their colours, in the order of the tablet's keys 1, 2, …"""
    return [
        {"value": state.value, "label": state.label, "colour": STATE_COLOURS[state],
         "occupied": state in OCCUPIED_STATES, "key": index}
        for index, state in enumerate(DeskState, start=1)
    ]


def round_screen(round_obj: OccupancyRound, desks: list[Desk], states: dict[int, str], *,
                 editable: bool) -> dict:
    """Everything the round's page shows besides its form: plans, legend, neighbours,
    corrections and how many desks are recorded."""
    previous_pk, next_pk = round_neighbours(round_obj)
    return {
        "study": round_obj.study,
        "round": round_obj,
        "plans": screen.round_plans(desks, states, editable=editable),
        "legend": state_legend(),
        "editable": editable,
        "previous_pk": previous_pk,
        "next_pk": next_pk,
        "corrections": round_corrections(round_obj),
        "recorded_count": sum(1 for value in states.values() if value),
        "state_labels": dict(DeskState.choices),
    }


@dataclass
class Figure:
    """Occupancy of one group (a desk, a section, a time of day, or all)."""

    label: str
    observed: int = 0
    occupied: int = 0
    peak: Fraction | None = None
    headcount: int | None = None
    desks: int = 0
    seats: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def average(self) -> Fraction | None:
        return rate(self.occupied, self.observed)

    @property
    def average_percent(self) -> int | None:
        return percent(self.average)

    @property
    def peak_percent(self) -> int | None:
        return percent(self.peak)

    @property
    def seats_per_person(self) -> float | None:
        if self.seats is None or not self.headcount:
            return None
        return round(self.seats / self.headcount, 2)


def _max(a: Fraction | None, b: Fraction | None) -> Fraction | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


@dataclass
class StudyAnalysis(Mapping):
    """The analysis of a study. Also a read-only mapping of its fields (``analysis["overall"]``,
    ``{**analysis}``) for the templates and the callers written against the earlier dict."""

    study: OccupancyStudy
    overall: Figure
    desks: list[Figure]
    sections: list[Figure]
    times: list[Figure]
    states: list[dict]
    observation_count: int
    round_count: int
    margin_percent: int
    has_staffing: bool
    typical_percent: int | None = percent(TYPICAL_OCCUPANCY)
    stored: bool = False

    def __getitem__(self, key):
        if key not in self._keys():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self):
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    @classmethod
    def _keys(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    __eq__ = object.__eq__
    __hash__ = object.__hash__


@dataclass
class _Scope:
    """What a study's analysis reads: its observations (filtered), desks and staffing."""

    observations: object
    desks: list[Desk]
    staffing: dict


def _scope(study: OccupancyStudy) -> _Scope:
    section_ids = [s.pk for s in study.sections.all()]
    observations = Observation.objects.filter(round__study=study)
    if section_ids:
        observations = observations.filter(desk__section__in=section_ids)
    if study.core_hours_only:
        observations = observations.filter(
            round__time__gte=study.core_start, round__time__lte=study.core_end
        )
    staffing_rows = SectionStaffing.objects.filter(engagement_id=study.engagement_id)
    if section_ids:
        staffing_rows = staffing_rows.filter(section__in=section_ids)
    return _Scope(observations=observations, desks=study_desks(study),
                  staffing={s.section_id: s.headcount for s in staffing_rows})


def _desk_figures(scope: _Scope) -> list[Figure]:
    """Per desk: average over all rounds; peak = the highest share of one day's rounds."""
    per_desk = {
        row["desk"]: row
        for row in scope.observations.values("desk").annotate(
            n=Count("pk"), occ=Count("pk", filter=OCCUPIED)
        )
    }
    desk_peak: dict[int, Fraction] = {}
    for row in scope.observations.values("desk", "round__date").annotate(
        n=Count("pk"), occ=Count("pk", filter=OCCUPIED)
    ):
        desk_peak[row["desk"]] = _max(desk_peak.get(row["desk"]), rate(row["occ"], row["n"]))
    figures = []
    for desk in scope.desks:
        row = per_desk.get(desk.pk, {"n": 0, "occ": 0})
        figures.append(
            Figure(label=desk.number, observed=row["n"], occupied=row["occ"],
                   peak=desk_peak.get(desk.pk), extra={"desk": desk})
        )
    return figures


def _empty_sections(scope: _Scope) -> dict:
    sections: dict = {}
    for desk in scope.desks:
        key = desk.section_id
        if key not in sections:
            label = desk.section.name if key is not None else str(NO_SECTION)
            sections[key] = Figure(label=label, headcount=scope.staffing.get(key),
                                   extra={"section_id": key})
        sections[key].desks += 1
    return sections


def _section_and_round_figures(scope: _Scope, margin_percent: int):
    """Per section, and per round (occupied, observed, time): from one query per round and
    section."""
    per_round_section = (
        scope.observations.values("round", "round__date", "round__time", "desk__section")
        .annotate(n=Count("pk"), occ=Count("pk", filter=OCCUPIED))
        .order_by("round__date", "round__time")
    )
    sections = _empty_sections(scope)
    rounds: dict = {}
    for row in per_round_section:
        key = row["desk__section"]
        if key not in sections:
            sections[key] = Figure(label=str(NO_SECTION), headcount=scope.staffing.get(key),
                                   extra={"section_id": key})
        figure = sections[key]
        figure.observed += row["n"]
        figure.occupied += row["occ"]
        figure.peak = _max(figure.peak, rate(row["occ"], row["n"]))
        occ, n, _time = rounds.get(row["round"], (0, 0, None))
        rounds[row["round"]] = (occ + row["occ"], n + row["n"], row["round__time"])
    for figure in sections.values():
        figure.seats = seats_needed(figure.headcount or 0, figure.peak, margin_percent)
    section_figures = sorted(
        sections.values(), key=lambda f: (f.label == str(NO_SECTION), f.label)
    )
    return section_figures, rounds


def _time_and_overall(rounds: dict, scope: _Scope, margin_percent: int):
    times: dict = {}
    overall = Figure(label=str(_("All desks")), desks=len(scope.desks))
    for occ, n, time in rounds.values():
        figure = times.setdefault(time, Figure(label=f"{time:%H:%M}", extra={"time": time}))
        figure.observed += n
        figure.occupied += occ
        figure.peak = _max(figure.peak, rate(occ, n))
        overall.observed += n
        overall.occupied += occ
        overall.peak = _max(overall.peak, rate(occ, n))
    overall.headcount = sum(scope.staffing.values()) or None
    overall.seats = seats_needed(overall.headcount or 0, overall.peak, margin_percent)
    return [times[t] for t in sorted(times)], overall


def state_shares(state_counts: dict[str, int]) -> list[dict]:
    total = sum(state_counts.values())
    return [
        {
            "state": state,
            "label": state.label,
            "count": state_counts.get(state.value, 0),
            "percent": percent(rate(state_counts.get(state.value, 0), total)),
            "colour": STATE_COLOURS[state],
            "occupied": state in OCCUPIED_STATES,
        }
        for state in DeskState
    ]


def compute_study_analysis(study: OccupancyStudy) -> StudyAnalysis:
    """The analysis computed from the observations (what the stored results must equal).

    Eight queries whatever the number of desks, rounds and observations.
    """
    scope = _scope(study)
    sections, rounds = _section_and_round_figures(scope, study.margin_percent)
    times, overall = _time_and_overall(rounds, scope, study.margin_percent)
    state_counts = dict(
        scope.observations.values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return StudyAnalysis(
        study=study, overall=overall, desks=_desk_figures(scope), sections=sections,
        times=times, states=state_shares(state_counts),
        observation_count=sum(state_counts.values()), round_count=len(rounds),
        margin_percent=study.margin_percent, has_staffing=bool(scope.staffing),
    )


def _peak(row) -> Fraction | None:
    if row.peak_observed:
        return Fraction(row.peak_occupied, row.peak_observed)
    return None


def _stored_figure(row, label: str, **extra) -> Figure:
    return Figure(label=label, observed=row.observed, occupied=row.occupied, peak=_peak(row),
                  **extra)


def stored_study_analysis(study: OccupancyStudy) -> StudyAnalysis | None:
    """The analysis as stored by ``occupancy_results_update``; None when never stored.

    Names and order (desk numbers, floors, section names) are read with the rows, so renaming
    a floor or a section needs no update. Four queries whatever the number of desks and
    observations.
    """
    result = StudyResult.objects.filter(study=study).first()
    if result is None:
        return None
    desks = [
        _stored_figure(row, row.desk.number, extra={"desk": row.desk})
        for row in DeskResult.objects.filter(study=study)
        .select_related("desk__section", "desk__floor")
        .order_by("desk__floor__sort_order", "desk__floor__name", "desk__number")
    ]
    sections = [
        _stored_figure(
            row, row.section.name if row.section_id else str(NO_SECTION), desks=row.desks,
            headcount=row.headcount, seats=row.seats, extra={"section_id": row.section_id},
        )
        for row in SectionResult.objects.filter(study=study).select_related("section")
    ]
    sections.sort(key=lambda f: (f.label == str(NO_SECTION), f.label))
    times = [
        _stored_figure(row, f"{row.time:%H:%M}", extra={"time": row.time})
        for row in TimeResult.objects.filter(study=study)
    ]
    overall = _stored_figure(result, str(_("All desks")), desks=result.desks,
                             headcount=result.headcount, seats=result.seats)
    return StudyAnalysis(
        study=study, overall=overall, desks=desks, sections=sections, times=times,
        states=state_shares(result.state_counts), observation_count=result.observation_count,
        round_count=result.round_count, margin_percent=study.margin_percent,
        has_staffing=result.has_staffing, stored=True,
    )


def study_analysis(study: OccupancyStudy) -> StudyAnalysis:
    """Average and peak occupancy per desk, section and time of day, and the seat count.

    Read from the stored results; computed from the observations only for a study whose
    results were never stored (data written before the results were kept).
    """
    return stored_study_analysis(study) or compute_study_analysis(study)


def recommended_seats(engagement) -> int | None:
    """The seats recommended by the designated finished baseline study (an unfinished study never
    replaces a finished one; see ``survey.designation``), or None."""
    from ..designation import baseline_study

    study = baseline_study(engagement)
    if study is None:
        return None
    result = StudyResult.objects.filter(study=study).first()
    if result is None:
        analysis = compute_study_analysis(study)
        return analysis.overall.seats if analysis.observation_count else None
    return result.seats if result.observation_count else None


def analysis_charts(analysis: dict) -> dict:
    """The SVG charts of an analysis: by time of day, by section, and the states' shares."""
    if not analysis["observation_count"]:
        return {}
    times = analysis["times"]
    sections = analysis["sections"]

    def as_float(values):
        return [None if v is None else float(v) for v in values]

    by_time = column_chart(
        title=str(_("Occupancy by time of day (average and peak)")),
        categories=[f.label for f in times],
        series=[
            (str(_("Average")), "#4292c6", as_float(f.average for f in times)),
            (str(_("Peak")), "#08306b", as_float(f.peak for f in times)),
        ],
    )
    by_section = grouped_bar_chart(
        title=str(_("Occupancy by section (average and peak)")),
        categories=[f.label for f in sections],
        series=[
            (str(_("Average")), "#4292c6", as_float(f.average for f in sections)),
            (str(_("Peak")), "#08306b", as_float(f.peak for f in sections)),
        ],
        max_value=1.0,
        reference=(float(TYPICAL_OCCUPANCY), str(_("METI survey 55%"))),
    )
    states = grouped_bar_chart(
        title=str(_("Share of observations by state")),
        categories=[str(s["label"]) for s in analysis["states"]],
        series=[(str(_("Share")), "#6c757d",
                 [s["percent"] / 100 if s["percent"] is not None else None
                  for s in analysis["states"]])],
        max_value=1.0,
        label_width=150,
        bar_height=18,
    )
    return {"by_time": by_time, "by_section": by_section, "states": states}


CONTEXT_FILL = "#f1f3f5"  # rooms, storage and desks outside the study, drawn as surroundings


def _context_items(floors: list[Floor], studied: set[int]) -> dict[int, list[PlanItem]]:
    """The other items on ``floors``, muted, so a heat map shows where its desks are.

    One query per kind whatever the number of floors; desks outside the study keep their
    number and no colour, so they cannot be read as 0%.
    """
    from ..models import Furniture, Room, StorageUnit

    by_floor = defaultdict(list)
    sources = (
        ("room", Room.objects.filter(floor__in=floors), True),
        ("storage", StorageUnit.objects.filter(floor__in=floors), False),
        ("furniture", Furniture.objects.filter(floor__in=floors), False),
        ("desk", Desk.objects.filter(floor__in=floors).exclude(pk__in=studied), True),
    )
    for kind, queryset, labelled in sources:
        for obj in queryset:
            by_floor[obj.floor_id].append(
                PlanItem.of(kind, obj, label=str(obj) if labelled else "", fill=CONTEXT_FILL)
            )
    return by_floor


def heat_legend_entries() -> list[LegendEntry]:
    """The heat map's colours: the scale in steps, unobserved desks and the surroundings."""
    entries = [LegendEntry(heat_colour(rate / 100), f"{rate}%") for rate in (0, 25, 50, 75, 100)]
    return entries + [
        LegendEntry(heat_colour(None), str(_("Not observed"))),
        LegendEntry(CONTEXT_FILL, str(_("Outside the study"))),
    ]


def heat_maps(analysis: dict, *, for_print: bool = False) -> list[dict]:
    """Per floor: the whole plan with every studied desk coloured by its average.

    The rooms, storage and other desks are drawn muted around them, the scope of the
    commission is outlined. Seven queries at most whatever the number of floors and desks (the
    floors, the scope's sections, the context by kind; desks come from the analysis).
    """
    engagement = analysis["study"].engagement
    floors = list(Floor.objects.filter(engagement=engagement))
    by_floor = defaultdict(list)
    for figure in analysis["desks"]:
        desk = figure.extra["desk"]
        average = figure.average
        pct = figure.average_percent
        section = desk.section.name if desk.section_id else str(NO_SECTION)
        title = _("Desk %(number)s (%(section)s): average %(avg)s, peak %(peak)s") % {
            "number": desk.number,
            "section": section,
            "avg": "—" if pct is None else f"{pct}%",
            "peak": "—" if figure.peak_percent is None else f"{figure.peak_percent}%",
        }
        by_floor[desk.floor_id].append(
            PlanItem.of(
                "desk", desk,
                label=f"{desk.number}\n{'—' if pct is None else f'{pct}%'}",
                title=str(title),
                fill=heat_colour(None if average is None else float(average)),
            )
        )
    floors = [floor for floor in floors if by_floor.get(floor.pk)]
    studied = {item.pk for items in by_floor.values() for item in items}
    context = _context_items(floors, studied) if floors else {}
    scope = scope_of(engagement) if floors else None
    legend = heat_legend_entries()
    maps = []
    for floor in floors:
        drawn = draw_plan(
            FloorItems(floor, context.get(floor.pk, []) + by_floor[floor.pk]),
            title=str(_("Average occupancy per desk: %(floor)s") % {"floor": floor.name}),
            css_class="plan-svg occupancy-heat", legend=legend, kind_legend=False,
            scope=scope, for_print=for_print,
        )
        maps.append({"floor": floor, "svg": str(drawn), "plan": drawn})
    return maps


def latest_study(engagement) -> OccupancyStudy | None:
    return (
        OccupancyStudy.objects.filter(engagement=engagement)
        .annotate(last=Max("rounds__date"))
        .order_by("-last", "-pk")
        .first()
    )


def report_context(engagement) -> dict:
    """What the report's survey chapter shows of the occupancy study (as ``occ``).

    The latest study with observations; ``{"study": None}`` when there is none.
    """
    study = latest_study(engagement)
    if study is None:
        return {"study": None}
    analysis = study_analysis(study)
    if not analysis["observation_count"]:
        return {"study": None}
    dates = study.rounds.aggregate(first=Min("date"), last=Max("date"))
    return {
        **analysis,
        "first_date": dates["first"],
        "last_date": dates["last"],
        "charts": analysis_charts(analysis),
        "heat_maps": heat_maps(analysis, for_print=True),
        "legend": heat_legend(title=str(_("Average occupancy"))),
    }
