"""The pages the benchmark measures. Each stage app adds its own.

A page is (label, url_name, kwargs(engagement) -> dict, role). The page is requested as the
member of ``role`` of the engagement under test: the seed engagement at seed scale, the last
(largest) office engagement at city scale, with all 15 engagements in the database.
"""

from bench import disposal as disposal_bench
from bench import meetings as meetings_bench
from bench import occupancy as occupancy_bench
from bench import procurement as procurement_bench
from bench import proposals as proposals_bench
from bench import report as report_bench
from bench import survey as survey_bench
from engagements.choices import Role

PAGES: list[tuple[str, str, object, str]] = [
    ("engagement list", "engagements:engagement_list", lambda e: {}, Role.CITY_STAFF),
    ("dashboard", "engagements:dashboard", lambda e: {"engagement_pk": e.pk}, Role.CITY_STAFF),
    (
        "engagement details",
        "engagements:engagement_detail",
        lambda e: {"engagement_pk": e.pk},
        Role.CITY_STAFF,
    ),
    ("report page", "reports:index", lambda e: {"engagement_pk": e.pk}, Role.CITY_STAFF),
    ("report PDF", "reports:report_pdf", lambda e: {"engagement_pk": e.pk}, Role.CITY_STAFF),
    *[(label, name, kwargs, Role.CITY_STAFF) for label, name, kwargs in survey_bench.PAGES],
    *[(label, name, kwargs, Role.CITY_STAFF) for label, name, kwargs in occupancy_bench.PAGES],
    *[(label, name, kwargs, Role.CITY_STAFF) for label, name, kwargs in proposals_bench.PAGES],
    *[(label, name, kwargs, Role.CITY_STAFF) for label, name, kwargs in meetings_bench.PAGES],
    *[(label, name, kwargs, Role.CITY_STAFF) for label, name, kwargs in procurement_bench.PAGES],
    *[(label, name, kwargs, Role.CITY_STAFF) for label, name, kwargs in disposal_bench.PAGES],
]

# Operations other than page views: (label, f(engagement) -> None). Timed like pages.
# The survey import has its own table (bench/heavy.py): new and existing rows on the same
# engagement against openpyxl's bare read. (Its real import also updates the engagement's stored
# occupancy analysis, so its queries follow the engagement's studies, not the scale.)
OPERATIONS: list[tuple[str, object]] = [
    ("report PDF build (draft, to a file)", report_bench.build_report_pdf),
    ("electronic data ZIP (to a file)", report_bench.build_electronic_data),
]

# The load test (bench/load.py): (label, url names tried in turn, kwargs(engagement), role or
# None for an anonymous client). The first page is the baseline; at city scale.
LOAD_PAGES: list[tuple[str, tuple[str, ...], object, str | None]] = [
    ("sign-in page (baseline)", ("login",), lambda e: {}, None),
    ("dashboard", ("engagements:dashboard",), lambda e: {"engagement_pk": e.pk},
     Role.CITY_STAFF),
    ("desk list", ("survey:desk_list",), lambda e: {"engagement_pk": e.pk}, Role.CITY_STAFF),
    ("proposal alternative", ("proposals:alternative_detail",),
     lambda e: {"engagement_pk": e.pk, "pk": proposals_bench._alternative_pk(e)},
     Role.CITY_STAFF),
    ("procurement plan", ("procurement:plan", "procurement:plan_detail"),
     lambda e: {"engagement_pk": e.pk}, Role.CITY_STAFF),
]

# Operations whose queries may grow with the data (a document of every record), held instead
# to a time and memory limit at city scale: label -> (ms, MiB). The report issue's goal.
LIMITS: dict[str, tuple[float, float]] = {
    "report PDF build (draft, to a file)": (60_000, 1024),
    "electronic data ZIP (to a file)": (60_000, 1024),
}
