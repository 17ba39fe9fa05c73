"""The chapters of the deliverable report (報告書), in order.

Each chapter names its template and a selector, ``f(engagement) -> dict``, that reads what
the chapter shows. A stage app owns its chapter's selector; the reports app only reads.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from meetings.report import APPROVALS_APPENDIX_TITLE


@dataclass(frozen=True)
class Chapter:
    key: str
    title: str
    template: str
    context: str  # dotted path of f(engagement) -> dict
    numbered: bool = True  # False for an appendix (付録): no "第N章" before its title


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(
        "overview",
        _("Overview of the engagement"),
        "reports/chapters/overview.html",
        "reports.selectors.overview_chapter",
    ),
    Chapter(
        "organisation",
        _("Organisation and site"),
        "reports/chapters/organisation.html",
        "reports.selectors.organisation_chapter",
    ),
    Chapter(
        "survey",
        _("Survey results"),
        "survey/report/chapter.html",
        "survey.selectors.report_chapter",
    ),
    Chapter(
        "proposals",
        _("Proposals"),
        "proposals/report/chapter.html",
        "proposals.selectors.report_chapter",
    ),
    Chapter(
        "procurement",
        _("Procurement and installation"),
        "reports/chapters/pending.html",
        "reports.selectors.pending_chapter",
    ),
    Chapter(
        "disposal",
        _("Disposal and transfer"),
        "reports/chapters/pending.html",
        "reports.selectors.pending_chapter",
    ),
    Chapter(
        "meetings",
        _("Meeting records"),
        "meetings/report/chapter.html",
        "meetings.selectors.meetings_chapter",
    ),
    Chapter(
        "approvals",
        APPROVALS_APPENDIX_TITLE,
        "meetings/report/approvals.html",
        "meetings.selectors.approvals_appendix",
        numbered=False,
    ),
)


def numbered_chapters() -> list[tuple[int | None, Chapter]]:
    """The chapters with their numbers (第N章); an appendix has none and takes none."""
    numbered, number = [], 0
    for chapter in CHAPTERS:
        number += chapter.numbered
        numbered.append((number if chapter.numbered else None, chapter))
    return numbered
