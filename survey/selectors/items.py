"""Reads of the survey (engineer A's part): lists, the analysis, the report chapter, progress.

Every read is a fixed number of queries whatever the number of desks or storage units.
"""

import importlib.util
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _

from engagements.choices import OrganisationKind
from engagements.drawing import FloorItems, draw_plan
from engagements.images import display_url, report_image_uri
from engagements.input_guard import as_id
from engagements.models import Engagement, Organisation
from engagements.stages import StageProgress

from .. import charts, designation
from ..choices import Disposition, Retention
from ..models import (
    Desk,
    Floor,
    Furniture,
    Photo,
    QuestionnaireWave,
    Room,
    SectionStaffing,
    StorageUnit,
    StorageVolume,
)
from ..models.questionnaire import WaveKind
from ..plan_svg import floor_items
from ..scope import scope_of, scope_sections  # noqa: F401 - part of the public reads
from . import occupancy

ZERO = Decimal("0")
FM = Decimal("0.01")


def sections_for(engagement) -> QuerySet[Organisation]:
    """The sections and posts under the engagement's client: who can own a desk or a cabinet.

    One query for the (small) organisation table, one for the queryset it returns.
    """
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Organisation.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    ids, stack = set(), [engagement.client_id]
    while stack:
        pk = stack.pop()
        ids.add(pk)
        stack.extend(children.get(pk, []))
    ids.add(engagement.section_id)
    return Organisation.objects.filter(
        pk__in=ids, kind__in=[OrganisationKind.SECTION, OrganisationKind.POST,
                              OrganisationKind.OFFICE, OrganisationKind.WARD_OFFICE,
                              OrganisationKind.BRANCH]
    ).order_by("sort_order", "name")


def _count_of(model):
    rows = model.objects.filter(engagement=OuterRef("pk")).order_by().values("engagement")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def _survey_figures(engagement) -> dict:
    """The survey's counts and whether any documents are recorded, in one query."""
    return (
        Engagement.objects.filter(pk=engagement.pk)
        .values(pk=F("pk"))
        .annotate(
            floors=_count_of(Floor), desks=_count_of(Desk),
            storage_units=_count_of(StorageUnit), staffing=_count_of(SectionStaffing),
            has_volumes=Exists(StorageVolume.objects.filter(unit__engagement=OuterRef("pk"))),
        )
        .get()
    )


def survey_counts(engagement) -> dict[str, int]:
    figures = _survey_figures(engagement)
    return {key: figures[key] for key in ("floors", "desks", "storage_units", "staffing")}


def desk_list(engagement) -> QuerySet[Desk]:
    return Desk.objects.filter(engagement=engagement).select_related("floor", "section")


def storage_unit_list(engagement) -> QuerySet[StorageUnit]:
    return (
        StorageUnit.objects.filter(engagement=engagement)
        .select_related("floor", "section")
        .annotate(volume_total=Sum("volumes__volume_fm"))
        .order_by("number")
    )


def floor_image_href(floor, *, for_print: bool = False) -> str | None:
    """The floor's plan image: its URL on screen, its file in print (WeasyPrint)."""
    if not floor.plan_image:
        return None
    if for_print:
        return report_image_uri(floor.plan_image.name)
    return display_url(floor.plan_image.name)


def plan_floor_items(floor, *, for_print: bool = False,
                     kinds=("room", "storage", "furniture", "desk"), fills=None) -> FloorItems:
    """A floor and its placed items, ready for ``engagements.drawing.draw_plan``."""
    return FloorItems(floor, floor_items(floor, kinds=kinds, fills=fills),
                      floor_image_href(floor, for_print=for_print))


def floor_plan(floor, *, interactive=False, fills=None, for_pdf=False, scope=None) -> str:
    """The SVG of ``floor`` with all its items and the engagement's scope outlined (with its
    legend); ``for_pdf`` links the image by file path."""
    return str(draw_plan(
        plan_floor_items(floor, for_print=for_pdf, fills=fills), interactive=interactive,
        scope=scope_of(floor.engagement) if scope is None else scope, for_print=for_pdf,
    ))


# --- Analysis ---------------------------------------------------------------------------------


def _fm(value) -> Decimal:
    return Decimal(value or 0).quantize(FM)


def _per_person(volume: Decimal, headcount: int) -> Decimal | None:
    return (volume / headcount).quantize(FM) if headcount else None


@dataclass
class SectionFigures:
    section: Organisation | None
    headcount: int = 0
    desks: int = 0
    storage_units: int = 0
    capacity_fm: Decimal = ZERO
    storage_fm: Decimal = ZERO
    desk_fm: Decimal = ZERO

    @property
    def name(self) -> str:
        return str(self.section) if self.section else _("No section")

    @property
    def total_fm(self) -> Decimal:
        return self.storage_fm + self.desk_fm

    @property
    def fm_per_person(self) -> Decimal | None:
        return _per_person(self.total_fm, self.headcount)

    @property
    def fill_percent(self) -> int | None:
        return round(self.storage_fm * 100 / self.capacity_fm) if self.capacity_fm else None


@dataclass
class Analysis:
    benchmark: Decimal
    floors: list = field(default_factory=list)
    floor_area_m2: Decimal = ZERO
    sections: list[SectionFigures] = field(default_factory=list)
    totals: SectionFigures = field(default_factory=lambda: SectionFigures(None))
    retention_rows: list = field(default_factory=list)  # (label, [fm by disposition], total)
    disposition_totals: list = field(default_factory=list)  # (label, fm)
    desk_sizes: list = field(default_factory=list)  # (label, count)

    @property
    def over_benchmark(self) -> bool:
        per_person = self.totals.fm_per_person
        return per_person is not None and per_person > self.benchmark


def survey_analysis(engagement, sections=None) -> Analysis:
    """Desks, floor area and document volume in total and per section, beside the benchmark.

    ``sections``: only these sections' desks, storage and staff (the report's scope).
    Six queries whatever the size of the survey.
    """
    benchmark = Decimal(str(settings.OFFICE_REFORM["DOCUMENT_FM_PER_PERSON_BENCHMARK"]))
    analysis = Analysis(benchmark=benchmark)
    analysis.floors = list(Floor.objects.filter(engagement=engagement))
    analysis.floor_area_m2 = sum((Decimal(str(f.area_m2)) for f in analysis.floors), ZERO)

    by_section: dict[int | None, SectionFigures] = {}

    def row(section_id):
        return by_section.setdefault(section_id, SectionFigures(None))

    def only(queryset, field="section"):
        return queryset if sections is None else queryset.filter(**{f"{field}__in": sections})

    for item in only(SectionStaffing.objects.filter(engagement=engagement)).values(
        "section_id", "headcount"
    ):
        row(item["section_id"]).headcount = item["headcount"]
    for item in (
        only(Desk.objects.filter(engagement=engagement))
        .values("section_id")
        .annotate(count=Count("pk"), fm=Sum("document_fm"))
        .order_by()
    ):
        figures = row(item["section_id"])
        figures.desks, figures.desk_fm = item["count"], _fm(item["fm"])
    for item in (
        only(StorageUnit.objects.filter(engagement=engagement))
        .values("section_id")
        .annotate(count=Count("pk"), capacity=Sum(F("width_mm") * F("shelf_count")))
        .order_by()
    ):
        figures = row(item["section_id"])
        figures.storage_units = item["count"]
        figures.capacity_fm = _fm(Decimal(item["capacity"] or 0) / 1000)
    cells: dict[tuple[str, str], Decimal] = {}
    for item in (
        only(StorageVolume.objects.filter(unit__engagement=engagement), "unit__section")
        .values("unit__section_id", "retention", "disposition")
        .annotate(fm=Sum("volume_fm"))
        .order_by()
    ):
        figures = row(item["unit__section_id"])
        figures.storage_fm += _fm(item["fm"])
        key = (item["retention"], item["disposition"])
        cells[key] = cells.get(key, ZERO) + _fm(item["fm"])

    units = Organisation.objects.in_bulk([pk for pk in by_section if pk is not None])
    for pk, figures in by_section.items():
        figures.section = units.get(pk)
    analysis.sections = sorted(
        by_section.values(),
        key=lambda f: (f.section is None, f.section.sort_order if f.section else 0, f.name),
    )
    totals = analysis.totals
    for figures in analysis.sections:
        totals.headcount += figures.headcount
        totals.desks += figures.desks
        totals.storage_units += figures.storage_units
        totals.capacity_fm += figures.capacity_fm
        totals.storage_fm += figures.storage_fm
        totals.desk_fm += figures.desk_fm

    for retention in Retention:
        values = [cells.get((retention.value, d.value), ZERO) for d in Disposition]
        analysis.retention_rows.append((retention.label, values, sum(values, ZERO)))
    analysis.disposition_totals = [
        (d.label, sum((cells.get((r.value, d.value), ZERO) for r in Retention), ZERO))
        for d in Disposition
    ]
    analysis.desk_sizes = [
        (f"W{item['width_mm']}×D{item['depth_mm']}", item["count"])
        for item in only(Desk.objects.filter(engagement=engagement))
        .values("width_mm", "depth_mm")
        .annotate(count=Count("pk"))
        .order_by("-count", "width_mm")
    ]
    return analysis


def analysis_charts(analysis: Analysis) -> dict[str, str]:
    """The analysis as SVG charts, shared by the analysis page and the report."""
    per_person_rows = [
        (f.name, f.fm_per_person) for f in analysis.sections if f.fm_per_person is not None
    ]
    if analysis.totals.fm_per_person is not None:
        per_person_rows.append((_("All sections"), analysis.totals.fm_per_person))
    return {
        "fm_per_person": charts.hbar_chart(
            per_person_rows, unit="fm", title=_("Document volume per person"),
            benchmark=analysis.benchmark, benchmark_label=_("Local government average"),
        ),
        "capacity": charts.stacked_bar_chart(
            [
                (f.name, [min(f.storage_fm, f.capacity_fm),
                          max(f.capacity_fm - f.storage_fm, ZERO),
                          max(f.storage_fm - f.capacity_fm, ZERO)])
                for f in analysis.sections
                if f.capacity_fm or f.storage_fm
            ],
            [_("In use"), _("Free"), _("Over capacity")],
            unit="fm", title=_("Storage capacity and use"),
            colours=["#0d6efd", "#ced4da", "#dc3545"],
        ),
        "retention": charts.stacked_bar_chart(
            [(label, values) for label, values, _total in analysis.retention_rows],
            [d.label for d in Disposition],
            unit="fm", title=_("Documents by retention period and disposition"),
        ),
        "desk_sizes": charts.hbar_chart(
            analysis.desk_sizes, unit=_(" desks"), title=_("Desks by size"), colour="#198754"
        ),
    }


# --- Report chapter and progress -------------------------------------------------------------


def _partner_context(module_name: str, template: str, engagement) -> dict | None:
    """Context of the occupancy/questionnaire parts once their module and template exist."""
    if importlib.util.find_spec(module_name) is None:
        return None
    try:
        get_template(template)
    except TemplateDoesNotExist:
        return None
    module = importlib.import_module(module_name)
    report_context = getattr(module, "report_context", None)
    return report_context(engagement) if report_context else None


def report_chapter(engagement) -> dict:
    """The survey chapter of the report: plans, figures, charts, selected photos.

    Every figure is for the commission's scope (対象範囲, ``Engagement.scope_sections``); the
    other sections surveyed are listed after it as context. The occupancy study and the
    questionnaire are the designated baseline (and the follow-up once finished).
    """
    from ..designation import baseline_study, followup_study, study_report_context

    full = survey_analysis(engagement)
    scope = set(engagement.scope_section_ids())
    analysis = survey_analysis(engagement, sections=scope)
    baseline = baseline_study(engagement)
    followup = followup_study(engagement)
    photos = (
        Photo.objects.filter(engagement=engagement, in_report=True)
        .select_related("desk", "storage_unit")
        .order_by("uploaded_at")[:12]
    )
    context_rows = [f for f in full.sections if f.section is None or f.section.pk not in scope]
    charts_ = analysis_charts(analysis)
    per_person = [(f.name, f.fm_per_person) for f in analysis.sections
                  if f.fm_per_person is not None]
    if len(per_person) > 1 and analysis.totals.fm_per_person is not None:
        per_person.append((_("Scope in total"), analysis.totals.fm_per_person))
    reference = _(" (ref.)")
    per_person += [(f"{f.name}{reference}", f.fm_per_person) for f in context_rows
                   if f.fm_per_person is not None]
    charts_["fm_per_person"] = charts.hbar_chart(
        per_person, unit="fm", title=_("Document volume per person"),
        benchmark=analysis.benchmark, benchmark_label=_("Local government average"))
    return {
        "analysis": analysis,
        "charts": charts_,
        "plans": [(floor, floor_plan(floor, for_pdf=True)) for floor in analysis.floors],
        "photos": [
            (photo, report_image_uri(photo.image.name)) for photo in photos
        ],
        "scope_totals": analysis.totals,
        "scope_sections": analysis.sections,
        "context_sections": context_rows,
        "occupancy": study_report_context(baseline) if baseline else {"study": None},
        "followup": study_report_context(followup) if followup else None,
        "questionnaire": _designated_waves(_partner_context(
            "survey.selectors.questionnaire", "survey/report/questionnaire.html", engagement
        ), engagement),
    }


def _designated_waves(context: dict | None, engagement) -> dict | None:
    """The report shows the designated waves only: the baseline (改革前), and the follow-up
    (改革後) once closed; before/after side by side only when both are there."""
    from ..designation import baseline_wave, followup_wave

    if not context:
        return context
    keep = {w.pk for w in (baseline_wave(engagement), followup_wave(engagement)) if w}
    waves = [item for item in context["waves"] if item["result"].wave.pk in keep]
    return {**context, "waves": waves,
            "comparison": context["comparison"] if len(waves) == 2 else None}


def stage_progress(engagement) -> StageProgress:
    """Share of the survey's parts recorded: floors, desks, storage, documents, headcounts."""
    counts = _survey_figures(engagement)  # one query
    has_volumes = counts["has_volumes"]
    parts = [
        counts["floors"] > 0, counts["desks"] > 0, counts["storage_units"] > 0,
        has_volumes, counts["staffing"] > 0,
    ]
    percent = round(100 * sum(parts) / len(parts))
    if not any(parts):
        return StageProgress(percent=0, summary=_("Not started"))
    summary = _("%(desks)s desks, %(units)s storage units recorded") % {
        "desks": counts["desks"], "units": counts["storage_units"],
    }
    return StageProgress(percent=percent, summary=summary)


# --- The survey as other stages read it (proposals; next procurement and disposal) ------------
# Other apps read the survey through these functions only, never through its models' managers.

# The kinds of surveyed item a layout starts from, by the name of the layout's foreign key.
SURVEY_ITEM_KINDS = {"desk": Desk, "furniture": Furniture, "storage_unit": StorageUnit}


def floor_list(engagement) -> QuerySet[Floor]:
    """The engagement's floors in their order."""
    return Floor.objects.filter(engagement=engagement)


def rooms_on(floors) -> list[Room]:
    """The rooms of the given floors (one query)."""
    return list(Room.objects.filter(floor__in=floors))


def baseline_layout(engagement) -> list[tuple[str, object]]:
    """Every surveyed desk, furniture and storage unit where it stands: ``(kind, item)`` with
    ``kind`` a key of ``SURVEY_ITEM_KINDS``, by kind then in the order recorded."""
    return [
        (kind, item)
        for kind, model in SURVEY_ITEM_KINDS.items()
        for item in model.objects.filter(engagement=engagement).order_by("pk")
    ]


def baseline_item(engagement, key: str) -> tuple[str | None, object | None]:
    """The surveyed item a key such as ``desk:12`` names, if it is the engagement's."""
    kind, _sep, pk = (key or "").partition(":")
    model = SURVEY_ITEM_KINDS.get(kind)
    if model is None or as_id(pk) is None:
        return None, None
    return kind, model.objects.filter(engagement=engagement, pk=as_id(pk)).first()


def baseline_items_on(floor) -> list[tuple[str, object]]:
    """The surveyed items of one floor, as ``baseline_layout``."""
    return [
        (kind, item)
        for kind, model in SURVEY_ITEM_KINDS.items()
        for item in model.objects.filter(floor=floor).order_by("pk")
    ]


@dataclass
class SurveyTotals:
    """The survey's totals a proposal starts from."""

    headcount: int
    document_fm: Decimal  # in storage and at the desks
    desk_sizes: list[tuple[int, int]]  # (width, depth) of each desk
    storage_sizes: list[tuple[int, int]]  # (width, shelf count) of each storage unit


def survey_totals(engagement, *, sections=None) -> SurveyTotals:
    """Headcount, documents and furniture sizes of the engagement, or of ``sections`` only
    (the commission's scope)."""
    staffing = SectionStaffing.objects.filter(engagement=engagement)
    volumes = StorageVolume.objects.filter(unit__engagement=engagement)
    desks = Desk.objects.filter(engagement=engagement)
    units = StorageUnit.objects.filter(engagement=engagement)
    if sections is not None:
        staffing = staffing.filter(section__in=sections)
        volumes = volumes.filter(unit__section__in=sections)
        desks = desks.filter(section__in=sections)
        units = units.filter(section__in=sections)
    headcount = staffing.aggregate(n=Sum("headcount"))["n"] or 0
    stored = volumes.aggregate(fm=Sum("volume_fm"))["fm"] or Decimal("0")
    at_desks = desks.aggregate(fm=Sum("document_fm"))["fm"] or Decimal("0")
    return SurveyTotals(
        headcount=headcount,
        document_fm=Decimal(stored + at_desks).quantize(Decimal("0.01")),
        desk_sizes=list(desks.values_list("width_mm", "depth_mm")),
        storage_sizes=list(units.values_list("width_mm", "shelf_count")),
    )


def baseline_study(engagement):
    """The designated finished baseline occupancy study (改革前), see ``survey.designation``."""
    return designation.baseline_study(engagement)


def questionnaire_wave_to_cite(engagement) -> QuestionnaireWave | None:
    """The wave a proposal cites: the one before the reform, else the latest."""
    waves = {w.kind: w for w in QuestionnaireWave.objects.filter(engagement=engagement)
             .order_by("pk")}
    return waves.get(WaveKind.BEFORE) or next(reversed(waves.values()), None)


def latest_occupancy_study(engagement):
    """The occupancy study with the latest round (None before any)."""
    return occupancy.latest_study(engagement)


def recommended_seats(engagement, study=None) -> int | None:
    """Seats for free address from the latest occupancy study with observations (read from the
    stored analysis)."""
    if study is None:
        return occupancy.recommended_seats(engagement)
    analysis = occupancy.study_analysis(study)
    if not analysis["observation_count"]:
        return None
    return analysis["overall"].seats
