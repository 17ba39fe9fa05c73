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
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext_lazy as _

from .models import Desk, Floor, SectionStaffing
from .models.occupancy import (
    OCCUPIED_STATES,
    STATE_COLOURS,
    DeskState,
    Observation,
    OccupancyRound,
    OccupancyStudy,
)
from .occupancy_svg import (
    column_chart,
    crop_to_items,
    grouped_bar_chart,
    heat_colour,
    heat_legend,
)
from .plan_svg import PlanItem, plan_svg

# The reference printed beside the results, with its source (reports.references "occupancy"):
# 経済産業省 令和元年度 オフィス利用状況に関する実態調査 (2020), 3,970 staff: 在席率 55%.
TYPICAL_OCCUPANCY = Fraction(55, 100)
NO_SECTION = _("No section")
HEAT_FONT_MM = 170  # desk labels "12 62%" fit a 1000 mm desk
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


def study_analysis(study: OccupancyStudy) -> dict:
    """Average and peak occupancy per desk, section and time of day, and the seat count.

    Eight queries whatever the number of desks, rounds and observations.
    """
    engagement = study.engagement
    section_ids = [s.pk for s in study.sections.all()]
    observations = Observation.objects.filter(round__study=study)
    if section_ids:
        observations = observations.filter(desk__section__in=section_ids)
    if study.core_hours_only:
        observations = observations.filter(
            round__time__gte=study.core_start, round__time__lte=study.core_end
        )

    desks = study_desks(study)
    staffing_rows = SectionStaffing.objects.filter(engagement=engagement)
    if section_ids:
        staffing_rows = staffing_rows.filter(section__in=section_ids)
    staffing = {s.section_id: s.headcount for s in staffing_rows}

    # Per desk: average over all rounds; peak = the highest share of one day's rounds.
    per_desk = {
        row["desk"]: row
        for row in observations.values("desk").annotate(
            n=Count("pk"), occ=Count("pk", filter=OCCUPIED)
        )
    }
    desk_peak: dict[int, Fraction] = {}
    for row in observations.values("desk", "round__date").annotate(
        n=Count("pk"), occ=Count("pk", filter=OCCUPIED)
    ):
        desk_peak[row["desk"]] = _max(desk_peak.get(row["desk"]), rate(row["occ"], row["n"]))
    desk_figures = []
    for desk in desks:
        row = per_desk.get(desk.pk, {"n": 0, "occ": 0})
        desk_figures.append(
            Figure(label=desk.number, observed=row["n"], occupied=row["occ"],
                   peak=desk_peak.get(desk.pk), extra={"desk": desk})
        )

    # Per round and section: the base of section, time-of-day and overall figures.
    per_round_section = list(
        observations.values("round", "round__date", "round__time", "desk__section")
        .annotate(n=Count("pk"), occ=Count("pk", filter=OCCUPIED))
        .order_by("round__date", "round__time")
    )
    sections: dict = {}
    section_names = {
        d.section_id: d.section.name for d in desks if d.section_id is not None
    }
    for desk in desks:
        key = desk.section_id
        if key not in sections:
            sections[key] = Figure(
                label=section_names.get(key) or str(NO_SECTION), headcount=staffing.get(key)
            )
        sections[key].desks += 1
    rounds: dict = defaultdict(lambda: [0, 0])
    round_time = {}
    for row in per_round_section:
        key = row["desk__section"]
        if key not in sections:
            sections[key] = Figure(label=str(NO_SECTION), headcount=staffing.get(key))
        figure = sections[key]
        figure.observed += row["n"]
        figure.occupied += row["occ"]
        figure.peak = _max(figure.peak, rate(row["occ"], row["n"]))
        rounds[row["round"]][0] += row["occ"]
        rounds[row["round"]][1] += row["n"]
        round_time[row["round"]] = row["round__time"]
    for figure in sections.values():
        figure.seats = seats_needed(figure.headcount or 0, figure.peak, study.margin_percent)

    times: dict = {}
    overall = Figure(label=str(_("All desks")), desks=len(desks))
    for round_pk, (occ, n) in rounds.items():
        time = round_time[round_pk]
        figure = times.setdefault(time, Figure(label=f"{time:%H:%M}"))
        figure.observed += n
        figure.occupied += occ
        figure.peak = _max(figure.peak, rate(occ, n))
        overall.observed += n
        overall.occupied += occ
        overall.peak = _max(overall.peak, rate(occ, n))
    overall.headcount = sum(staffing.values()) or None
    overall.seats = seats_needed(overall.headcount or 0, overall.peak, study.margin_percent)
    time_figures = [times[t] for t in sorted(times)]

    state_counts = dict(
        observations.values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    total = sum(state_counts.values())
    states = [
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
    section_figures = sorted(
        sections.values(), key=lambda f: (f.label == str(NO_SECTION), f.label)
    )
    return {
        "study": study,
        "overall": overall,
        "desks": desk_figures,
        "sections": section_figures,
        "times": time_figures,
        "states": states,
        "observation_count": total,
        "round_count": len(rounds),
        "typical_percent": percent(TYPICAL_OCCUPANCY),
        "margin_percent": study.margin_percent,
        "has_staffing": bool(staffing),
    }


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


# The part of a floor a heat map shows has the shape of the report's figure (170 × 130 mm).
HEAT_ASPECT = 170 / 130
CONTEXT_FILL = "#f1f3f5"  # rooms, storage and desks outside the study, drawn as surroundings


def _context_items(floors: list[Floor], studied: set[int]) -> dict[int, list[PlanItem]]:
    """The other items on ``floors``, muted, so a heat map shows where its desks are.

    One query per kind whatever the number of floors; desks outside the study keep their
    number and no colour, so they cannot be read as 0%.
    """
    from .models import Furniture, Room, StorageUnit

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


def heat_maps(analysis: dict) -> list[dict]:
    """Per floor: the studied part of the plan with every desk coloured by its average.

    The plan is cropped to the studied desks (widened to the report figure's shape) and shows
    the rooms, storage and other desks around them, muted. Six queries at most whatever the
    number of floors and desks (the floors, the context by kind; desks come from the analysis).
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
                label=f"{desk.number} {'—' if pct is None else f'{pct}%'}",
                title=str(title),
                fill=heat_colour(None if average is None else float(average)),
            )
        )
    floors = [floor for floor in floors if by_floor.get(floor.pk)]
    studied = {item.pk for items in by_floor.values() for item in items}
    context = _context_items(floors, studied) if floors else {}
    maps = []
    for floor in floors:
        maps.append(
            {
                "floor": floor,
                "svg": crop_to_items(
                    plan_svg(
                        floor, context.get(floor.pk, []) + by_floor[floor.pk],
                        title=str(
                            _("Average occupancy per desk: %(floor)s") % {"floor": floor.name}
                        ),
                        css_class="plan-svg occupancy-heat",
                        font_mm=HEAT_FONT_MM,
                    ),
                    floor, by_floor[floor.pk], aspect=HEAT_ASPECT,
                ),
            }
        )
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
        "heat_maps": heat_maps(analysis),
        "legend": heat_legend(title=str(_("Average occupancy"))),
    }
