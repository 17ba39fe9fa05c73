"""Reads of the proposals stage: figures before and after, costs, plans, the editor's state,
the comparison, the report chapter and the stage's progress.

Every read is a fixed number of queries whatever the number of items on the plan.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from engagements.stages import StageProgress
from engagements.workflow import status_history
from survey import selectors as survey
from survey.models import Floor

from . import figures as fig
from .choices import (
    FINDING_URLS,
    AlternativeStatus,
    LayoutAction,
    SurveyFinding,
    WorkListKind,
)
from .models import Alternative, CatalogueItem, LayoutItem, Proposal, WorkListItem, Zone
from .plans import (  # noqa: F401 - the plan reads, still reachable from here
    ACTION_FILLS,
    ZONE_FILL,
    alternative_plan,
    current_plan,
    editor_state,
    floors_of,
    layout_items,
    layout_warnings,
    warning_groups,
)

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


def catalogue_list(engagement, *, active_only: bool = False):
    """The engagement's own catalogue (another engagement's items are never offered)."""
    queryset = CatalogueItem.objects.filter(engagement=engagement)
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
    desk_sizes: list = field(default_factory=list)
    storage_sizes: list = field(default_factory=list)
    scope_ids: frozenset = frozenset()
    study: object = None

    def in_scope(self, section_id) -> bool:
        return not self.scope_ids or section_id in self.scope_ids


def baseline(engagement) -> Baseline:
    """The scope's survey totals and the seats recommended by the designated finished baseline
    study (改革前): an unfinished study never replaces a finished one (``survey.designation``)."""
    scope = frozenset(engagement.scope_section_ids())
    totals = survey.survey_totals(engagement, sections=scope)
    study = survey.baseline_study(engagement)
    seats = survey.recommended_seats(engagement, study) if study is not None else None
    return Baseline(headcount=totals.headcount, document_fm=totals.document_fm,
                    recommended_seats=seats, desk_sizes=totals.desk_sizes,
                    storage_sizes=totals.storage_sizes, scope_ids=scope, study=study)


def before_figures(engagement, base: Baseline) -> fig.Figures:
    """The survey layout's figures: the scope's surveyed desks and storage units, no zones."""
    facts = [fig.survey_desk_facts(w, d) for w, d in base.desk_sizes]
    facts += [fig.survey_storage_facts(w, s) for w, s in base.storage_sizes]
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
        return fig.catalogue_facts(item.catalogue_entry)
    return fig.ItemFacts()


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


def alternative_cost(alternative: Alternative, items: list[LayoutItem] | None = None) -> fig.Cost:
    """New items grouped by catalogue item, then the works lines; tax once on the total.

    An approved alternative's items count at their names and prices as approved."""
    items = layout_items(alternative) if items is None else items
    counts: dict[int, list] = {}
    for item in items:
        if item.action == LayoutAction.NEW:
            entry = counts.setdefault(item.catalogue_item_id, [item.catalogue_entry, 0])
            entry[1] += 1
    lines = [
        fig.CostLine(entry.label, count, entry.unit_price_yen, entry.tax_class)
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


# --- Detail, comparison -----------------------------------------------------------------------


def finding_urls(engagement) -> dict[str, str]:
    """The survey page showing each finding a section can answer.

    Occupancy: the analysis of the baseline study; questionnaire: the results of the wave before
    the reform (else the latest wave); each falls back to its survey list while there is none.
    Two queries, once per page.
    """
    urls = {finding: reverse(name, kwargs={"engagement_pk": engagement.pk})
            for finding, name in FINDING_URLS.items()}
    study = survey.baseline_study(engagement) or survey.latest_occupancy_study(engagement)
    if study is not None:
        urls[SurveyFinding.OCCUPANCY] = reverse("survey:occupancy_analysis", kwargs={
            "engagement_pk": engagement.pk, "study_pk": study.pk})
    wave = survey.questionnaire_wave_to_cite(engagement)
    if wave is not None:
        urls[SurveyFinding.QUESTIONNAIRE] = reverse("survey:questionnaire_wave", kwargs={
            "engagement_pk": engagement.pk, "wave_pk": wave.pk})
    return urls


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
    rooms = survey.rooms_on(floors) if rooms is None else rooms
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
    rooms = survey.rooms_on(floors)
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
            "approvals": [row for row in status_history(chosen)
                          if row.new_status == AlternativeStatus.APPROVED] if chosen else []}


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
    queryset = WorkListItem.objects.filter(
        alternative__proposal__engagement=engagement,
        alternative__status=AlternativeStatus.APPROVED,
    ).select_related("alternative", "catalogue_item", "desk", "furniture", "storage_unit")
    return queryset.filter(kind=kind) if kind else queryset
