"""Reads of the survey (engineer A's part): lists, the analysis, the report chapter, progress.

Every read is a fixed number of queries whatever the number of desks or storage units.
"""

import importlib.util
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import Count, F, Prefetch, QuerySet, Sum
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _

from engagements.choices import OrganisationKind
from engagements.models import Organisation
from engagements.stages import StageProgress

from . import charts
from .choices import Disposition, Retention
from .models import Desk, Floor, Photo, SectionStaffing, StorageUnit, StorageVolume
from .plan_svg import floor_items, plan_svg

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


def survey_counts(engagement) -> dict[str, int]:
    return {
        "floors": Floor.objects.filter(engagement=engagement).count(),
        "desks": Desk.objects.filter(engagement=engagement).count(),
        "storage_units": StorageUnit.objects.filter(engagement=engagement).count(),
        "staffing": SectionStaffing.objects.filter(engagement=engagement).count(),
    }


def desk_list(engagement) -> QuerySet[Desk]:
    return Desk.objects.filter(engagement=engagement).select_related("floor", "section")


def storage_unit_list(engagement) -> QuerySet[StorageUnit]:
    return (
        StorageUnit.objects.filter(engagement=engagement)
        .select_related("floor", "section")
        .annotate(volume_total=Sum("volumes__volume_fm"))
        .order_by("number")
    )


def storage_unit_detail(engagement, pk) -> QuerySet[StorageUnit]:
    return StorageUnit.objects.filter(engagement=engagement, pk=pk).prefetch_related(
        Prefetch("volumes", queryset=StorageVolume.objects.order_by("retention", "disposition"))
    )


def floor_plan(floor, *, interactive=False, fills=None, for_pdf=False) -> str:
    """The SVG of ``floor`` with all its items; ``for_pdf`` links the image by file path."""
    image_href = None
    if floor.plan_image:
        if for_pdf:
            image_href = Path(settings.MEDIA_ROOT, floor.plan_image.name).as_uri()
        else:
            image_href = floor.plan_image.url
    return plan_svg(
        floor, floor_items(floor, fills=fills), image_href=image_href, interactive=interactive
    )


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
    from .designation import baseline_study, followup_study, study_report_context

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
            (photo, Path(settings.MEDIA_ROOT, photo.image.name).as_uri()) for photo in photos
        ],
        "scope_totals": analysis.totals,
        "scope_sections": analysis.sections,
        "context_sections": context_rows,
        "occupancy": study_report_context(baseline) if baseline else {"study": None},
        "followup": study_report_context(followup) if followup else None,
        "questionnaire": _designated_waves(_partner_context(
            "survey.selectors_questionnaire", "survey/report/questionnaire.html", engagement
        ), engagement),
    }


def _designated_waves(context: dict | None, engagement) -> dict | None:
    """The report shows the designated waves only: the baseline (改革前), and the follow-up
    (改革後) once closed; before/after side by side only when both are there."""
    from .designation import baseline_wave, followup_wave

    if not context:
        return context
    keep = {w.pk for w in (baseline_wave(engagement), followup_wave(engagement)) if w}
    waves = [item for item in context["waves"] if item["result"].wave.pk in keep]
    return {**context, "waves": waves,
            "comparison": context["comparison"] if len(waves) == 2 else None}


def stage_progress(engagement) -> StageProgress:
    """Share of the survey's parts recorded: floors, desks, storage, documents, headcounts."""
    counts = survey_counts(engagement)
    has_volumes = StorageVolume.objects.filter(unit__engagement=engagement).exists()
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
