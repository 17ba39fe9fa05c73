"""Reads of the staff questionnaire: aggregates only, never one person's answers.

Every figure is for a group of at least ``MIN_GROUP_SIZE`` responses. Per section, a group
under the limit is pooled with the others into "other sections / not stated"; when that pool
would itself hold 1–4 answers (so that it could be worked out from the total), the smallest
shown section is pooled too, until the pool is empty or large enough.
Free comments are listed only when the wave has at least ``MIN_GROUP_SIZE`` responses, sorted
by their text (not by when or by whom), without their section.
"""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from engagements.models import Organisation

from ..models import SectionStaffing
from ..models.questionnaire import (
    IMPORTANCE_FIELDS,
    MIN_GROUP_SIZE,
    READINESS_FIELDS,
    SATISFACTION_FIELDS,
    SCORE_FIELDS,
    Area,
    QuestionnaireResponse,
    QuestionnaireWave,
    WaveKind,
)
from ..occupancy_svg import distribution_chart, grouped_bar_chart

SUPPRESSED_MESSAGE = _("Not shown: fewer than 5 answers.")
ANSWER_LABELS = [
    _("1 Poor"), _("2"), _("3"), _("4"), _("5 Good"),
]
READINESS_LABELS = {
    "telework_readiness": _("Readiness for telework"),
    "paperless_readiness": _("Readiness for paperless work"),
}


def questionnaire_sections(engagement) -> list[Organisation]:
    """The sections a respondent may name: those staffed on the site, else the site section."""
    sections = [
        staffing.section
        for staffing in SectionStaffing.objects.filter(engagement=engagement).select_related(
            "section"
        )
    ]
    return sections or [engagement.section]


def item_label(name: str) -> str:
    if name in READINESS_LABELS:
        return str(READINESS_LABELS[name])
    kind, area = name.split("_", 1)
    return str(Area(area).label)


@dataclass
class ItemResult:
    name: str
    label: str
    mean: float
    counts: list[int]


@dataclass
class GroupResult:
    label: str
    n: int
    means: dict[str, float] = field(default_factory=dict)

    @property
    def satisfaction_means(self) -> list[float]:
        return [self.means[name] for name in SATISFACTION_FIELDS]


@dataclass
class WaveResult:
    wave: QuestionnaireWave
    n: int
    shown: bool
    items: dict[str, ItemResult] = field(default_factory=dict)
    groups: list[GroupResult] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def areas(self) -> list[dict]:
        """Per area: mean satisfaction and importance, and the gap (importance − satisfaction)."""
        rows = []
        for area in Area:
            sat = self.items[f"satisfaction_{area.value}"].mean
            imp = self.items[f"importance_{area.value}"].mean
            rows.append({"label": area.label, "satisfaction": sat, "importance": imp,
                         "gap": imp - sat})
        return rows

    @property
    def readiness(self) -> list[ItemResult]:
        return [self.items[name] for name in READINESS_FIELDS]


def _aggregate(queryset) -> dict:
    expressions = {"n": Count("pk")}
    for name in SCORE_FIELDS:
        expressions[f"{name}__avg"] = Avg(name)
        for value in range(1, 6):
            expressions[f"{name}__{value}"] = Count("pk", filter=Q(**{name: value}))
    return queryset.aggregate(**expressions)


def _groups(wave: QuestionnaireWave) -> list[GroupResult]:
    """Means per section, pooling small groups (see the module docstring). One query."""
    rows = list(
        QuestionnaireResponse.objects.filter(wave=wave)
        .values("section", "section__name")
        .annotate(n=Count("pk"), **{name: Avg(name) for name in SCORE_FIELDS})
    )
    named = [row for row in rows if row["section"] is not None]
    shown = sorted(
        (row for row in named if row["n"] >= MIN_GROUP_SIZE),
        key=lambda r: (-r["n"], r["section__name"]),
    )
    pooled = [row for row in rows if row not in shown]
    while shown and 0 < sum(r["n"] for r in pooled) < MIN_GROUP_SIZE:
        pooled.append(shown.pop())  # the smallest shown group joins the pool
    if len(shown) <= 1 and not pooled:
        # One section only: its figures are the wave's figures; no breakdown to show.
        return []
    result = [
        GroupResult(label=row["section__name"], n=row["n"],
                    means={name: row[name] for name in SCORE_FIELDS})
        for row in shown
    ]
    pooled_n = sum(r["n"] for r in pooled)
    if pooled_n >= MIN_GROUP_SIZE and shown:
        result.append(
            GroupResult(
                label=str(_("Other sections or not stated")),
                n=pooled_n,
                means={
                    name: sum(r[name] * r["n"] for r in pooled) / pooled_n for name in SCORE_FIELDS
                },
            )
        )
    return result if len(result) > 1 else []


def wave_result(wave: QuestionnaireWave) -> WaveResult:
    """The wave's aggregates, or only its count when it has fewer than MIN_GROUP_SIZE answers.

    Three queries at most whatever the number of responses.
    """
    queryset = QuestionnaireResponse.objects.filter(wave=wave)
    data = _aggregate(queryset)
    n = data["n"]
    result = WaveResult(wave=wave, n=n, shown=n >= MIN_GROUP_SIZE)
    if not result.shown:
        return result
    for name in SCORE_FIELDS:
        result.items[name] = ItemResult(
            name=name,
            label=item_label(name),
            mean=data[f"{name}__avg"],
            counts=[data[f"{name}__{value}"] for value in range(1, 6)],
        )
    result.groups = _groups(wave)
    result.comments = sorted(
        text for text in queryset.exclude(comment="").values_list("comment", flat=True)
    )
    return result


def _score(v: float) -> str:
    return f"{v:.1f}"


def wave_charts(result: WaveResult) -> dict:
    """The SVG charts of one wave (empty when its figures are not shown)."""
    if not result.shown:
        return {}
    areas = result.areas
    labels = [str(a["label"]) for a in areas]
    kind = result.wave.get_kind_display()
    means = grouped_bar_chart(
        title=str(_("Satisfaction and importance (mean, 1–5): %(wave)s") % {"wave": kind}),
        categories=labels,
        series=[
            (str(_("Satisfaction")), "#4575b4", [a["satisfaction"] for a in areas]),
            (str(_("Importance")), "#fc8d59", [a["importance"] for a in areas]),
        ],
        max_value=5,
        ticks=[0, 1, 2, 3, 4, 5],
        value_format=_score,
    )
    rows = [
        (f"{_('Satisfaction')}: {result.items[name].label}", result.items[name].counts)
        for name in SATISFACTION_FIELDS
    ] + [(result.items[name].label, result.items[name].counts) for name in READINESS_FIELDS]
    distribution = distribution_chart(
        title=str(_("Distribution of answers: %(wave)s") % {"wave": kind}),
        rows=rows,
        answer_labels=[str(label) for label in ANSWER_LABELS],
        label_width=300,
    )
    return {"means": means, "distribution": distribution}


def comparison_chart(before: WaveResult | None, after: WaveResult | None):
    """Satisfaction before and after the reform, when both waves can be shown."""
    if not (before and after and before.shown and after.shown):
        return None
    names = SATISFACTION_FIELDS + READINESS_FIELDS
    return grouped_bar_chart(
        title=str(_("Satisfaction and readiness before and after the reform (mean, 1–5)")),
        categories=[item_label(name) for name in names],
        series=[
            (str(WaveKind.BEFORE.label), "#bdbdbd", [before.items[n].mean for n in names]),
            (str(WaveKind.AFTER.label), "#4575b4", [after.items[n].mean for n in names]),
        ],
        max_value=5,
        ticks=[0, 1, 2, 3, 4, 5],
        value_format=_score,
    )


def questionnaire_overview(engagement) -> dict:
    """Both waves of the engagement with their results and charts, for the page and report."""
    waves = {w.kind: w for w in QuestionnaireWave.objects.filter(engagement=engagement)}
    results = {}
    for kind in WaveKind:
        wave = waves.get(kind.value)
        if wave is not None:
            result = wave_result(wave)
            results[kind.value] = {"result": result, "charts": wave_charts(result)}
    before = results.get(WaveKind.BEFORE, {}).get("result")
    after = results.get(WaveKind.AFTER, {}).get("result")
    return {
        "waves": [results[k.value] for k in WaveKind if k.value in results],
        "comparison": comparison_chart(before, after),
        "min_group_size": MIN_GROUP_SIZE,
        "suppressed_message": SUPPRESSED_MESSAGE,
        "importance_fields": IMPORTANCE_FIELDS,
    }


def report_context(engagement) -> dict:
    """What the report's survey chapter shows of the questionnaire (as ``q``)."""
    return questionnaire_overview(engagement)
