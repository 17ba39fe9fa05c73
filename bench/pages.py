"""The pages the benchmark measures. Each stage app adds its own.

A page is (label, url_name, kwargs(engagement) -> dict, role). The page is requested as the
member of ``role`` of the engagement under test: the seed engagement at seed scale, the last
(largest) office engagement at city scale, with all 15 engagements in the database.
"""

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
]

# Operations other than page views: (label, f(engagement) -> None). Timed like pages.
OPERATIONS: list[tuple[str, object]] = []
