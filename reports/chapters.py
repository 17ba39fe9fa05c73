"""The chapters of the deliverable report (報告書), in order.

Each chapter names its template and a selector, ``f(engagement) -> dict``, that reads what
the chapter shows. A stage app owns its chapter's selector; the reports app only reads.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Chapter:
    key: str
    title: str
    template: str
    context: str  # dotted path of f(engagement) -> dict
    numbered: bool = True  # False for an appendix (付録): no "第N章" before its title
    order: int = 100  # position in the report; appendices from 900


class _ChapterRegistry:
    """The chapters in ``order``. The reports app registers its own (overview, organisation);
    each stage app registers its chapter from its ``AppConfig.ready()`` with
    ``register_chapter``, replacing any chapter of the same key."""

    def __init__(self) -> None:
        self._chapters: dict[str, Chapter] = {}

    def register(self, chapter: Chapter) -> None:
        self._chapters[chapter.key] = chapter

    def __iter__(self):
        return iter(sorted(self._chapters.values(), key=lambda c: c.order))

    def __len__(self) -> int:
        return len(self._chapters)

    def __getitem__(self, key: str) -> Chapter:
        return self._chapters[key]


CHAPTERS = _ChapterRegistry()


def register_chapter(chapter: Chapter) -> None:
    CHAPTERS.register(chapter)


def _pending(key: str, title, order: int) -> Chapter:
    return Chapter(key, title, "reports/chapters/pending.html",
                   "reports.selectors.pending_chapter", order=order)


def _own(key: str, title, order: int, *, numbered: bool = True) -> Chapter:
    return Chapter(key, title, f"reports/chapters/{key}.html",
                   f"reports.selectors.{key}_chapter", numbered=numbered, order=order)


for _chapter in (
    _own("overview", _("Overview of the engagement"), 10),
    _own("organisation", _("Organisation of the work"), 12),
    _own("schedule", _("Schedule"), 14),
    _own("method", _("Survey methods"), 16),
    # Stage apps replace these placeholders with their own chapters.
    _pending("procurement", _("Procurement and installation"), 50),
    _pending("disposal", _("Disposal and transfer"), 60),
    _own("summary", _("Summary, issues and next steps"), 80),
    _own("materials", _("Materials"), 880, numbered=False),
):
    register_chapter(_chapter)


def numbered_chapters() -> list[tuple[int | None, Chapter]]:
    """The chapters with their numbers (第N章); an appendix has none and takes none."""
    numbered, number = [], 0
    for chapter in CHAPTERS:
        number += chapter.numbered
        numbered.append((number if chapter.numbered else None, chapter))
    return numbered
