"""Reads of the proposals stage: figures before and after, costs, plans, the editor's state,
the comparison, the report chapter and the stage's progress.

Every read is a fixed number of queries whatever the number of items on the plan.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from engagements.stages import StageProgress
from survey.choices import SNAP_MM
from survey.models import Desk, Floor, Furniture, Room, SectionStaffing, StorageUnit, StorageVolume
from survey.plan_svg import PlanItem, plan_svg

from . import figures as fig
from .choices import (
    FINDING_URLS,
    AlternativeStatus,
    LayoutAction,
    SurveyFinding,
    WorkListKind,
    ZoneKind,
)
from .layout_check import IGNORE_GAP_MM, WarningGroups, bounding_box, group_warnings
from .layout_check import layout_warnings as check_layout
from .models import Alternative, CatalogueItem, LayoutItem, Proposal, Zone

ACTION_FILLS = {
    LayoutAction.MOVE: "#ffe066",
    LayoutAction.NEW: "#b2f2bb",
    LayoutAction.REMOVE: "#f8d7da",
}
ZONE_FILL = "#e5dbff"


# --- Lists ------------------------------------------------------------------------------------


def proposal_list(engagement):
    return Proposal.objects.filter(engagement=engagement).prefetch_related(
        Prefetch("alternatives", queryset=Alternative.objects.order_by("label"))
    )


def alternative_queryset(engagement):
    return Alternative.objects.filter(proposal__engagement=engagement).select_related(
        "proposal", "based_on"
    )


def with_layout(queryset):
    """Alternatives with their items, zones, works and sections: four queries for any number."""
    return queryset.prefetch_related(
        Prefetch("items", queryset=LayoutItem.objects.select_related(
            "desk", "furniture", "storage_unit", "catalogue_item").order_by("pk")),
        "zones", "works_lines", "sections",
    )


def catalogue_list(*, active_only: bool = False):
    queryset = CatalogueItem.objects.all()
    return queryset.filter(active=True) if active_only else queryset


# --- Figures ----------------------------------------------------------------------------------


@dataclass
class Baseline:
    """What the survey says for the commission's scope (対象範囲): headcount, today's documents,
    the recommended seats. ``scope_ids``: the sections in scope; every per-person figure of
    the proposals and the report divides by this one ``headcount``."""

    headcount: int = 0
    document_fm: Decimal = Decimal("0")
    recommended_seats: int | None = None
    scope_ids: frozenset = frozenset()
    study: object = None

    def in_scope(self, section_id) -> bool:
        return not self.scope_ids or section_id in self.scope_ids


def baseline(engagement) -> Baseline:
    scope = frozenset(engagement.scope_section_ids())
    headcount = SectionStaffing.objects.filter(
        engagement=engagement, section__in=scope).aggregate(n=Sum("headcount"))["n"] or 0
    stored = StorageVolume.objects.filter(
        unit__engagement=engagement, unit__section__in=scope).aggregate(
        fm=Sum("volume_fm"))["fm"] or Decimal("0")
    at_desks = Desk.objects.filter(engagement=engagement, section__in=scope).aggregate(
        fm=Sum("document_fm"))["fm"] or Decimal("0")
    study = _baseline_study(engagement)
    return Baseline(headcount=headcount,
                    document_fm=Decimal(stored + at_desks).quantize(Decimal("0.01")),
                    recommended_seats=_recommended_seats(study), scope_ids=scope,
                    study=study)


def _recommended_seats(study) -> int | None:
    """Seats for free address from the designated finished baseline study (改革前): an
    unfinished study never replaces a finished one (``survey.designation``). The study
    observes the scope's sections (the report's check flags a study whose sections differ)."""
    if study is None:
        return None
    from survey import selectors_occupancy as occupancy

    analysis = occupancy.study_analysis(study)
    if not analysis["observation_count"]:
        return None
    return analysis["overall"].seats


def before_figures(engagement, base: Baseline) -> fig.Figures:
    """The survey layout's figures: the scope's surveyed desks and storage units, no zones."""
    scope = base.scope_ids or frozenset(engagement.scope_section_ids())
    facts = [fig.survey_desk_facts(w, d) for w, d in
             Desk.objects.filter(engagement=engagement, section__in=scope).values_list(
                 "width_mm", "depth_mm")]
    facts += [fig.survey_storage_facts(w, s) for w, s in
              StorageUnit.objects.filter(engagement=engagement, section__in=scope).values_list(
                  "width_mm", "shelf_count")]
    return fig.compute_figures(facts, [], headcount=base.headcount,
                               document_fm=base.document_fm,
                               recommended_seats=base.recommended_seats)


def _item_in_scope(item: LayoutItem, base: Baseline) -> bool:
    """A surveyed desk or storage unit of a section outside the scope is context only."""
    for surveyed in (item.desk, item.storage_unit):
        if surveyed is not None and not base.in_scope(surveyed.section_id):
            return False
    return True


def _item_facts(item: LayoutItem) -> fig.ItemFacts:
    if item.desk_id:
        return fig.survey_desk_facts(item.width_mm, item.depth_mm)
    if item.storage_unit_id:
        return fig.survey_storage_facts(item.storage_unit.width_mm, item.storage_unit.shelf_count)
    if item.catalogue_item_id:
        return fig.catalogue_facts(item.catalogue_item)
    return fig.ItemFacts()


def layout_items(alternative: Alternative) -> list[LayoutItem]:
    return list(alternative.items.select_related(
        "desk", "furniture", "storage_unit", "catalogue_item").order_by("pk"))


def alternative_figures(alternative: Alternative, base: Baseline,
                        items: list[LayoutItem] | None = None,
                        zones: list[Zone] | None = None) -> fig.Figures:
    items = layout_items(alternative) if items is None else items
    zones = list(alternative.zones.all()) if zones is None else zones
    return fig.compute_figures(
        [_item_facts(i) for i in items
         if i.action != LayoutAction.REMOVE and _item_in_scope(i, base)],
        [fig.ZoneFacts(z.kind, z.capacity, z.width_mm * z.depth_mm) for z in zones],
        headcount=base.headcount, document_fm=base.document_fm,
        recommended_seats=base.recommended_seats,
    )


def catalogue_label(entry: CatalogueItem) -> str:
    """The name with its size, unless the name already gives the width."""
    if f"W{entry.width_mm}" in entry.name:
        return f"{entry.name}（D{entry.depth_mm}）"
    return f"{entry.name} {entry.size_label}"


def alternative_cost(alternative: Alternative, items: list[LayoutItem] | None = None) -> fig.Cost:
    """New items grouped by catalogue item, then the works lines; tax once on the total."""
    items = layout_items(alternative) if items is None else items
    counts: dict[int, list] = {}
    for item in items:
        if item.action == LayoutAction.NEW:
            entry = counts.setdefault(item.catalogue_item_id, [item.catalogue_item, 0])
            entry[1] += 1
    lines = [
        fig.CostLine(catalogue_label(entry), count, entry.unit_price_yen, entry.tax_class)
        for entry, count in sorted(counts.values(), key=lambda p: (p[0].kind, p[0].name))
    ]
    lines += [
        fig.CostLine(w.description, 1, w.amount_yen, w.tax_class, is_works=True)
        for w in alternative.works_lines.all()
    ]
    return fig.compute_cost(lines)


def action_counts(items: list[LayoutItem]) -> dict[str, int]:
    counts = {a.value: 0 for a in LayoutAction}
    for item in items:
        counts[item.action] += 1
    return counts


def figure_label(key: str) -> str:
    labels = {
        "seats": _("Seats"),
        "seats_per_person": _("Seats per person"),
        "desk_area_m2": _("Desk area"),
        "area_per_person_m2": _("Desk and zone area per person"),
        "storage_fm": _("Storage capacity"),
        "paper_reduction_percent": _("Paper reduction required"),
        "meeting_places": _("Meeting and booth places"),
        "outlets": _("Power outlets needed"),
    }
    return labels[key]


FIGURE_UNITS = {"desk_area_m2": "m²", "area_per_person_m2": "m²", "storage_fm": "fm",
                "paper_reduction_percent": "%"}


@dataclass
class FigureRow:
    key: str
    label: str
    unit: str
    values: list  # one per column
    differs: bool = False
    note: str = ""  # the survey's recommendation, shown beside the seats


def figure_table(columns: list[fig.Figures]) -> list[FigureRow]:
    """Rows of figures, one column per layout; ``differs`` when the proposed columns differ
    from each other or (with a single alternative) from the current layout."""
    rows = []
    current = columns[0]
    notes = {}
    if current.recommended_seats:
        notes = {
            "seats": _("Occupancy study recommends %(n)s") % {"n": current.recommended_seats},
            "seats_per_person": _("Occupancy study recommends %(n)s") % {
                "n": current.recommended_seats_per_person},
        }
    for key in fig.FIGURE_KEYS:
        values = [getattr(c, key) for c in columns]
        proposed = values[1:]
        differs = len(set(proposed)) > 1 if len(proposed) > 1 else values[0] != values[-1]
        rows.append(FigureRow(key, figure_label(key), FIGURE_UNITS.get(key, ""), values, differs,
                              notes.get(key, "")))
    return rows


# --- Plans ------------------------------------------------------------------------------------


def _image_href(floor: Floor, for_pdf: bool) -> str | None:
    if not floor.plan_image:
        return None
    if for_pdf:
        return Path(settings.MEDIA_ROOT, floor.plan_image.name).as_uri()
    return floor.plan_image.url


def _item_label(item: LayoutItem) -> str:
    if item.catalogue_item_id:
        return item.catalogue_item.name
    return str(item.desk or item.furniture or item.storage_unit)


def _item_kind(item: LayoutItem) -> str:
    if item.desk_id:
        return "desk"
    if item.storage_unit_id:
        return "storage"
    return "furniture"


def alternative_plan(alternative: Alternative, floor: Floor, *, items=None, zones=None,
                     rooms=None, for_pdf: bool = False, show_removed: bool = False) -> str:
    """The alternative's layout of ``floor`` as SVG: rooms, zones, then items coloured by action
    (kept: survey colours; moved: yellow; new: green; removed: pink, only with ``show_removed``).
    """
    items = layout_items(alternative) if items is None else items
    zones = list(alternative.zones.all()) if zones is None else zones
    rooms = list(Room.objects.filter(floor=floor)) if rooms is None else rooms
    plan_items = [PlanItem.of("room", r) for r in rooms if r.floor_id == floor.pk]
    for zone in zones:
        if zone.floor_id == floor.pk:
            plan_items.append(PlanItem.of(
                "zone", zone, label=f"{zone.name} ({zone.capacity})",
                title=f"{zone.get_kind_display()} {zone.name}", fill=ZONE_FILL))
    for item in items:
        if item.floor_id != floor.pk:
            continue
        if item.action == LayoutAction.REMOVE and not show_removed:
            continue
        plan_items.append(PlanItem.of(
            _item_kind(item), item, label=_item_label(item),
            title=f"{_item_label(item)} ({item.get_action_display()})",
            fill=ACTION_FILLS.get(item.action)))
    return plan_svg(floor, plan_items, image_href=_image_href(floor, for_pdf),
                    title=f"{alternative.label} {floor.name}")


def current_plan(floor: Floor, *, for_pdf: bool = False) -> str:
    from survey.selectors import floor_plan

    return floor_plan(floor, for_pdf=for_pdf)


def floors_of(engagement) -> list[Floor]:
    return list(Floor.objects.filter(engagement=engagement))


# --- Editor -----------------------------------------------------------------------------------


def _box(item) -> object:
    return bounding_box(
        _item_label(item) if isinstance(item, LayoutItem) else str(item),
        item.x_mm, item.y_mm, item.width_mm, item.depth_mm, item.rotation_deg,
        surveyed=getattr(item, "action", None) == LayoutAction.KEEP,
    )


def layout_warnings(alternative: Alternative, floor: Floor | None = None):
    """Overlaps and narrow aisles among the items kept, moved or added (zones excepted)."""
    queryset = alternative.items.exclude(action=LayoutAction.REMOVE).select_related(
        "desk", "furniture", "storage_unit", "catalogue_item")
    if floor is not None:
        queryset = queryset.filter(floor=floor)
    warnings = []
    by_floor: dict[int, list] = {}
    for item in queryset:
        by_floor.setdefault(item.floor_id, []).append(_box(item))
    for boxes in by_floor.values():
        warnings += check_layout(boxes, alternative.min_aisle_mm)
    return warnings


def warning_groups(alternative: Alternative, floor: Floor | None = None) -> WarningGroups:
    """The layout warnings, the alternative's own apart from those inherited from the survey."""
    return group_warnings(layout_warnings(alternative, floor))


def editor_state(alternative: Alternative, floor: Floor) -> dict:
    """Everything the layout editor needs for one floor, as JSON-ready data."""
    items = [i for i in layout_items(alternative) if i.floor_id == floor.pk]
    in_layout = {i.source_key for i in items}
    state_items = []
    for item in items:
        source = item.desk or item.furniture or item.storage_unit
        state_items.append({
            "id": item.pk, "source": item.source_key, "catalogue": item.catalogue_item_id,
            "label": _item_label(item), "kind": _item_kind(item) if source else "new",
            "x": item.x_mm, "y": item.y_mm, "w": item.width_mm, "d": item.depth_mm,
            "r": item.rotation_deg, "removed": item.action == LayoutAction.REMOVE,
            "orig": [source.x_mm, source.y_mm, source.rotation_deg] if source else None,
        })
    # Survey items recorded after the alternative was made: kept where they stand.
    for name, model, kind in (("desk", Desk, "desk"), ("furniture", Furniture, "furniture"),
                              ("storage_unit", StorageUnit, "storage")):
        for obj in model.objects.filter(floor=floor).order_by("pk"):
            key = f"{name}:{obj.pk}"
            if key not in in_layout:
                state_items.append({
                    "id": None, "source": key, "catalogue": None, "label": str(obj),
                    "kind": kind, "x": obj.x_mm, "y": obj.y_mm, "w": obj.width_mm,
                    "d": obj.depth_mm, "r": obj.rotation_deg, "removed": False,
                    "orig": [obj.x_mm, obj.y_mm, obj.rotation_deg],
                })
    return {
        "floor": {"id": floor.pk, "name": floor.name, "w": floor.width_mm, "d": floor.depth_mm,
                  "image": _image_href(floor, False)},
        "rooms": [{"x": r.x_mm, "y": r.y_mm, "w": r.width_mm, "d": r.depth_mm,
                   "r": r.rotation_deg, "label": r.name}
                  for r in Room.objects.filter(floor=floor)],
        "items": state_items,
        "zones": [{"id": z.pk, "kind": z.kind, "name": z.name, "capacity": z.capacity,
                   "x": z.x_mm, "y": z.y_mm, "w": z.width_mm, "d": z.depth_mm,
                   "r": z.rotation_deg}
                  for z in alternative.zones.filter(floor=floor).order_by("pk")],
        "catalogue": [{"id": c.pk, "name": c.name, "kind": c.get_kind_display(),
                       "w": c.width_mm, "d": c.depth_mm, "price": c.unit_price_yen}
                      for c in catalogue_list(active_only=True)],
        "zoneKinds": [[k.value, str(k.label)] for k in ZoneKind],
        "minAisle": alternative.min_aisle_mm,
        "ignoreGap": IGNORE_GAP_MM,
        "snap": SNAP_MM,
    }


# --- Detail, comparison -----------------------------------------------------------------------


def finding_urls(engagement) -> dict[str, str]:
    """The survey page showing each finding a section can answer.

    Occupancy: the analysis of the baseline study; questionnaire: the results of the wave before
    the reform (else the latest wave); each falls back to its survey list while there is none.
    Two queries, once per page.
    """
    from survey.models.questionnaire import QuestionnaireWave, WaveKind

    urls = {finding: reverse(name, kwargs={"engagement_pk": engagement.pk})
            for finding, name in FINDING_URLS.items()}
    study = _latest_study(engagement)
    if study is not None:
        urls[SurveyFinding.OCCUPANCY] = reverse("survey:occupancy_analysis", kwargs={
            "engagement_pk": engagement.pk, "study_pk": study.pk})
    waves = {w.kind: w for w in QuestionnaireWave.objects.filter(engagement=engagement)
             .order_by("pk")}
    wave = waves.get(WaveKind.BEFORE) or next(reversed(waves.values()), None)
    if wave is not None:
        urls[SurveyFinding.QUESTIONNAIRE] = reverse("survey:questionnaire_wave", kwargs={
            "engagement_pk": engagement.pk, "wave_pk": wave.pk})
    return urls


def _baseline_study(engagement):
    """The designated finished baseline study (see ``survey.designation``)."""
    from survey.designation import baseline_study

    return baseline_study(engagement)


def _latest_study(engagement):
    """The baseline study, else any study (for links to its analysis page)."""
    from survey import selectors_occupancy as occupancy

    return _baseline_study(engagement) or occupancy.latest_study(engagement)


@dataclass
class AlternativeView:
    alternative: Alternative
    figures: fig.Figures
    cost: fig.Cost
    counts: dict
    plans: list = field(default_factory=list)  # (floor, svg)
    sections: list = field(default_factory=list)  # (section, url)


def alternative_view(alternative: Alternative, base: Baseline, floors: list[Floor], *,
                     rooms=None, for_pdf: bool = False, show_removed: bool = False,
                     urls: dict[str, str] | None = None) -> AlternativeView:
    items = list(alternative.items.all())  # prefetched by ``with_layout``
    zones = list(alternative.zones.all())
    rooms = list(Room.objects.filter(floor__in=floors)) if rooms is None else rooms
    sections = list(alternative.sections.all())
    if urls is None:  # always, so that a page's query count does not depend on its sections
        urls = finding_urls(alternative.proposal.engagement)
    return AlternativeView(
        alternative=alternative,
        figures=alternative_figures(alternative, base, items, zones),
        cost=alternative_cost(alternative, items),
        counts=action_counts(items),
        plans=[(floor, alternative_plan(alternative, floor, items=items, zones=zones,
                                        rooms=rooms, for_pdf=for_pdf,
                                        show_removed=show_removed))
               for floor in floors],
        sections=[(s, urls[s.finding]) for s in sections],
    )


def comparison(proposal: Proposal, *, for_pdf: bool = False) -> dict:
    """The proposal's alternatives side by side with the current layout: plans and figures."""
    engagement = proposal.engagement
    base = baseline(engagement)
    floors = floors_of(engagement)
    rooms = list(Room.objects.filter(floor__in=floors))
    alternatives = with_layout(proposal.alternatives.order_by("label"))
    urls = finding_urls(engagement)
    views = [alternative_view(a, base, floors, rooms=rooms, for_pdf=for_pdf, urls=urls)
             for a in alternatives]
    before = before_figures(engagement, base)
    return {
        "baseline": base,
        "before": before,
        "views": views,
        "rows": figure_table([before, *[v.figures for v in views]]),
        "current_plans": [(f, current_plan(f, for_pdf=for_pdf)) for f in floors],
        "cost_rows": [
            (label, values, len(set(values)) > 1)
            for label, values in (
                (_("Subtotal without tax"), [v.cost.subtotal_yen for v in views]),
                (_("Consumption tax"), [v.cost.tax_yen for v in views]),
                (_("Total with tax"), [v.cost.total_yen for v in views]),
            )
        ],
    }


def work_list(alternative: Alternative) -> dict:
    rows = list(alternative.work_list.select_related(
        "catalogue_item", "desk", "furniture", "storage_unit"))
    procure = [r for r in rows if r.kind == WorkListKind.PROCURE]
    return {
        "procure": procure,
        "dispose": [r for r in rows if r.kind == WorkListKind.DISPOSE],
        "procure_total_yen": sum(r.amount_yen for r in procure),
    }


# --- Report chapter and progress -------------------------------------------------------------


def _chosen(proposal: Proposal) -> Alternative | None:
    alternatives = list(proposal.alternatives.order_by("label"))
    for status in (AlternativeStatus.APPROVED, AlternativeStatus.SUBMITTED):
        for alternative in alternatives:
            if alternative.status == status:
                return alternative
    return alternatives[0] if alternatives else None


def report_chapter(engagement) -> dict:
    """The proposal chapter (提案): current and proposed plans, figures, rationale, cost.

    The latest proposal; the approved alternative is the one proposed (else the submitted one,
    else the first), the others appear in the figures table for comparison.
    """
    proposal = Proposal.objects.filter(engagement=engagement).order_by("-created_at",
                                                                       "-pk").first()
    if proposal is None:
        return {"proposal": None}
    data = comparison(proposal, for_pdf=True)
    chosen = _chosen(proposal)
    chosen_view = next((v for v in data["views"] if v.alternative == chosen), None)
    return {**data, "proposal": proposal, "chosen": chosen_view,
            "status_changes": list(chosen.status_changes.select_related("actor"))
            if chosen else []}


def stage_progress(engagement) -> StageProgress:
    """Not started → drafted (30%) → submitted (60%) → an alternative approved (100%)."""
    statuses = list(Alternative.objects.filter(proposal__engagement=engagement)
                    .values_list("label", "status"))
    proposals = Proposal.objects.filter(engagement=engagement).count()
    if not proposals:
        return StageProgress(percent=0, summary=_("Not started"))
    approved = [label for label, status in statuses if status == AlternativeStatus.APPROVED]
    if approved:
        return StageProgress(percent=100, summary=_("%(label)s approved") % {
            "label": ", ".join(approved)})
    if any(status == AlternativeStatus.SUBMITTED for _label, status in statuses):
        return StageProgress(percent=60, summary=_("Submitted to the city"))
    return StageProgress(percent=30, summary=_("%(n)s alternatives in draft") % {
        "n": len(statuses)})


def approved_work_list(engagement, kind: str | None = None):
    """The work lists of the engagement's approved alternatives, for procurement and disposal.

    ``kind``: ``WorkListKind.PROCURE`` (catalogue item, quantity, unit price) or
    ``WorkListKind.DISPOSE`` (the survey desk, furniture or storage unit removed).
    """
    from .models import WorkListItem

    queryset = WorkListItem.objects.filter(
        alternative__proposal__engagement=engagement,
        alternative__status=AlternativeStatus.APPROVED,
    ).select_related("alternative", "catalogue_item", "desk", "furniture", "storage_unit")
    return queryset.filter(kind=kind) if kind else queryset
