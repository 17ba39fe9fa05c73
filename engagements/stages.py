"""The stages of an engagement, in the order the commission runs them.

Each stage app registers its stage in its ``AppConfig.ready()``::

    register_stage(Stage("procurement", _("Procurement and installation"), _("…"),
                         "procurement:index", "procurement.selectors.stage_progress",
                         order=30, demo=("procurement.demo.seed",)))

with its progress function (for the dashboard) and its demo steps (for ``seed_demo``). Its
report chapter goes to ``reports.chapters.register_chapter`` and the records a meeting's
decision may name to ``meetings.links.register_linkable``, from the same ``ready()``.
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class StageProgress:
    percent: int
    summary: str


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    description: str
    url_name: str
    progress: str  # dotted path of f(engagement) -> StageProgress
    order: int = 100
    demo: tuple[str, ...] = ()  # dotted paths of f(demo) adding the stage to the demo story


class _StageRegistry:
    """The stages registered by their apps (``AppConfig.ready``), in ``order``.

    Iterating gives the stages sorted; a stage app adds itself with ``register_stage`` and
    nothing outside the app names it.
    """

    def __init__(self) -> None:
        self._stages: dict[str, Stage] = {}

    def register(self, stage: Stage) -> None:
        self._stages[stage.key] = stage

    def __iter__(self):
        return iter(sorted(self._stages.values(), key=lambda s: s.order))

    def __len__(self) -> int:
        return len(self._stages)

    def __getitem__(self, key: str) -> Stage:
        return self._stages[key]

    def get(self, key: str) -> Stage | None:
        return self._stages.get(key)

    def demo_steps(self) -> list[str]:
        """Every stage's demo steps, in stage order (dotted paths of f(demo))."""
        return [step for stage in self for step in stage.demo]


STAGES = _StageRegistry()


def register_stage(stage: Stage) -> None:
    STAGES.register(stage)


def stage_progress(stage: Stage, engagement) -> StageProgress:
    """A stage's progress; within ``stage_overview`` computed once (the report's stage, which
    sums the others, reuses theirs)."""
    cache = engagement.__dict__.get("_stage_progress")
    if cache is None:
        return import_string(stage.progress)(engagement)
    if stage.key not in cache:
        cache[stage.key] = import_string(stage.progress)(engagement)
    return cache[stage.key]


def stage_overview(engagement) -> list[tuple[Stage, StageProgress]]:
    engagement.__dict__["_stage_progress"] = {}
    try:
        return [(stage, stage_progress(stage, engagement)) for stage in STAGES]
    finally:
        del engagement.__dict__["_stage_progress"]
